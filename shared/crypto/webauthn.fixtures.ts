/**
 * A software authenticator for unit tests: what a security key returns to the browser (ES256
 * signature in DER, authenticator data, client data) and a PRF made like the CTAP hmac-secret
 * extension, an HMAC under a secret that never leaves the key. Not used by the app.
 */
import { type Bytes, concatBytes, toBase64, utf8 } from '../util/bytes';
import { toBase64Url } from './second-factor';
import type { Assertion } from './webauthn-assertion';

/** r ‖ s (WebCrypto) → DER SEQUENCE { INTEGER r, INTEGER s } (what authenticators send). */
export function p1363ToDer(sig: Uint8Array): Bytes {
  const int = (v: Uint8Array) => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    let body = v.subarray(i);
    if (body[0]! & 0x80) body = concatBytes(new Uint8Array([0]), body);
    return concatBytes(new Uint8Array([0x02, body.length]), body);
  };
  const seq = concatBytes(int(sig.subarray(0, 32)), int(sig.subarray(32)));
  return concatBytes(new Uint8Array([0x30, seq.length]), seq);
}

export async function softwareAuthenticator(rpId: string, origin: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const credentialId = crypto.getRandomValues(new Uint8Array(32));
  const hmacKey = await crypto.subtle.importKey(
    'raw',
    crypto.getRandomValues(new Uint8Array(32)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  let counter = 0;
  return {
    credentialId,
    credentialIdText: toBase64Url(credentialId),
    publicKey: toBase64(spki),
    spki,
    async prf(salt: Uint8Array): Promise<Bytes> {
      return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, salt as Bytes));
    },
    async assert(
      challenge: Uint8Array,
      opts: { origin?: string; type?: string; userPresent?: boolean } = {},
    ): Promise<Assertion> {
      const clientDataJSON = utf8(
        JSON.stringify({
          type: opts.type ?? 'webauthn.get',
          challenge: toBase64Url(challenge),
          origin: opts.origin ?? origin,
        }),
      );
      const rpHash = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(rpId)));
      const flags = opts.userPresent === false ? 0x00 : 0x05;
      counter++;
      const count = new Uint8Array([0, 0, (counter >> 8) & 0xff, counter & 0xff]);
      const authenticatorData = concatBytes(rpHash, new Uint8Array([flags]), count);
      const clientHash = new Uint8Array(await crypto.subtle.digest('SHA-256', clientDataJSON));
      const sig = new Uint8Array(
        await crypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          pair.privateKey,
          concatBytes(authenticatorData, clientHash),
        ),
      );
      return { authenticatorData, clientDataJSON, signature: p1363ToDer(sig) };
    },
  };
}
