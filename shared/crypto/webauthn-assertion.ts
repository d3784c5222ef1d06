/**
 * Checks a WebAuthn assertion (W3C WebAuthn Level 3, §7.2 "Verifying an Authentication
 * Assertion") against the credential a member enrolled: the right ceremony, our challenge, our
 * origin and relying party, the user present, and an ES256 signature by the enrolled key over
 * authenticatorData ‖ SHA-256(clientDataJSON).
 */
import { type Bytes, concatBytes, equalBytes, fromBase64, fromUtf8, utf8 } from '../util/bytes';
import { toBase64Url } from './second-factor';

export type Assertion = {
  authenticatorData: Bytes;
  clientDataJSON: Bytes;
  /** DER-encoded ECDSA signature, as authenticators return it. */
  signature: Bytes;
};

export type AssertionExpectation = {
  publicKeySpki: string;
  rpId: string;
  origin: string;
  challenge: Uint8Array;
};

/** DER SEQUENCE { INTEGER r, INTEGER s } → r ‖ s, 32 bytes each (what WebCrypto verifies). */
export function derToP1363(der: Uint8Array): Bytes {
  const fail = () => new Error('The security key’s signature is not in a form KAT Chart reads.');
  let at = 0;
  if (der[at++] !== 0x30) throw fail();
  let len = der[at++]!;
  if (len & 0x80) at += len & 0x7f; // long form: never for P-256, but skip it cleanly
  const int = () => {
    if (der[at++] !== 0x02) throw fail();
    len = der[at++]!;
    let v = der.subarray(at, at + len);
    at += len;
    while (v.length > 32 && v[0] === 0) v = v.subarray(1);
    if (v.length > 32) throw fail();
    const out = new Uint8Array(32);
    out.set(v, 32 - v.length);
    return out;
  };
  const r = int();
  const s = int();
  return concatBytes(r, s);
}

/** The reason an assertion is refused, or null when it holds. Never throws. */
export async function assertionProblem(
  a: Assertion,
  want: AssertionExpectation,
): Promise<string | null> {
  try {
    const client = JSON.parse(fromUtf8(a.clientDataJSON)) as Record<string, unknown>;
    if (client.type !== 'webauthn.get') return 'not a sign-in';
    if (client.challenge !== toBase64Url(want.challenge)) return 'an old or foreign challenge';
    if (client.origin !== want.origin) return 'another origin';
    const rpHash = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(want.rpId)));
    if (a.authenticatorData.length < 37 || !equalBytes(a.authenticatorData.subarray(0, 32), rpHash))
      return 'another relying party';
    if ((a.authenticatorData[32]! & 0x01) === 0) return 'nobody touched the key';
    const key = await crypto.subtle.importKey(
      'spki',
      fromBase64(want.publicKeySpki),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    const clientHash = new Uint8Array(await crypto.subtle.digest('SHA-256', a.clientDataJSON));
    const ok = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      derToP1363(a.signature),
      concatBytes(a.authenticatorData, clientHash),
    );
    return ok ? null : 'a signature by another key';
  } catch {
    return 'an answer that could not be read';
  }
}
