/**
 * The browser's WebAuthn calls for a member's security key (navigator.credentials), with the PRF
 * extension asked for wherever the authenticator has it. Errors come back in clinic words.
 */
import { PRF_BYTES, fromBase64Url } from '../../shared/crypto/second-factor';
import type { Assertion } from '../../shared/crypto/webauthn-assertion';
import { type Bytes, fromBase64 } from '../../shared/util/bytes';

export class SecurityKeyError extends Error {}

/** Where the app is opened: `location`, or any URL's parts (tests). */
export type AppPlace = { protocol: string; hostname: string };

/**
 * The relying party ID a security key is tied to at this place, or why none can be: WebAuthn
 * takes only an https page or http on localhost (W3C WebAuthn §5.1.3 / Chromium's check,
 * crbug.com/824383), and an RP ID must be a domain, never a numeric address. The desktop app's
 * pages are `kat://app` (electron/main/app-protocol.ts): a custom scheme is refused even when
 * registered secure ("Public-key credentials are only available to HTTPS origin or HTTP origins
 * that fall under 'localhost'", electron/electron#15404, #24573), so security keys are a
 * browser-mode feature for now (shared/crypto/README.md, "Second factor").
 */
export function relyingPartyFor(place: AppPlace): { rpId: string } | { problem: string } {
  const host = place.hostname.toLowerCase();
  if (place.protocol !== 'https:' && place.protocol !== 'http:')
    return {
      problem:
        'Security keys do not work in the KAT Chart desktop app yet. Use an authenticator app ' +
        'here instead, or use your security key in KAT Chart opened in a browser at the ' +
        'clinic server’s address.',
    };
  if (!host || /^[\d.]+$|^\[|:/.test(host))
    return {
      problem:
        'Security keys need KAT Chart opened by a name (such as localhost or the clinic’s server ' +
        'name), not by a numeric address. Open it by name, then add the key.',
    };
  const local = host === 'localhost' || host.endsWith('.localhost');
  if (place.protocol === 'http:' && !local)
    return {
      problem:
        'Security keys need KAT Chart opened through a secure (https://) address, or on this ' +
        'computer as localhost. Ask whoever runs the clinic server for its https address.',
    };
  return { rpId: host };
}

export function securityKeysAvailable(): string | null {
  if (typeof location !== 'undefined') {
    const place = relyingPartyFor(location);
    if ('problem' in place) return place.problem;
  }
  if (typeof navigator === 'undefined' || !navigator.credentials || !window.PublicKeyCredential)
    return 'This computer’s browser cannot use security keys.';
  return null;
}

function rpIdHere(): string {
  const place = relyingPartyFor(location);
  if ('problem' in place) throw new SecurityKeyError(place.problem);
  return place.rpId;
}

function words(e: unknown): SecurityKeyError {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError')
    return new SecurityKeyError(
      'The security key was not used (the request was cancelled or timed out). Try again and ' +
        'touch the key when it blinks.',
    );
  if (name === 'InvalidStateError')
    return new SecurityKeyError('This security key is already added. Use another key.');
  if (name === 'SecurityError')
    return new SecurityKeyError(
      securityKeysAvailable() ?? 'This address cannot use security keys.',
    );
  return new SecurityKeyError(
    `The security key could not be used${e instanceof Error ? `: ${e.message}` : ''}.`,
  );
}

const bytes = (b: ArrayBuffer | ArrayBufferView) =>
  new Uint8Array(
    b instanceof ArrayBuffer ? b : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength),
  ) as Bytes;

type PrfResults = { enabled?: boolean; results?: { first?: ArrayBuffer } };

/** A new credential for this member on this computer's browser. */
export async function createSecurityKey(user: {
  id: string;
  username: string;
  displayName: string;
}): Promise<{ credentialId: Bytes; publicKeySpki: Bytes; rpId: string; prfEnabled: boolean }> {
  const unavailable = securityKeysAvailable();
  if (unavailable) throw new SecurityKeyError(unavailable);
  let cred: PublicKeyCredential;
  try {
    cred = (await navigator.credentials.create({
      publicKey: {
        rp: { name: 'KAT Chart', id: rpIdHere() },
        user: {
          id: new TextEncoder().encode(user.id),
          name: user.username,
          displayName: user.displayName,
        },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }], // ES256
        authenticatorSelection: { userVerification: 'preferred', residentKey: 'discouraged' },
        timeout: 120_000,
        attestation: 'none',
        extensions: { prf: {} } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential;
  } catch (e) {
    throw words(e);
  }
  const response = cred.response as AuthenticatorAttestationResponse;
  const spki = response.getPublicKey();
  if (!spki || response.getPublicKeyAlgorithm() !== -7)
    throw new SecurityKeyError('This security key offers no key KAT Chart can check. Use another.');
  const prf = (cred.getClientExtensionResults() as { prf?: PrfResults }).prf;
  return {
    credentialId: bytes(cred.rawId),
    publicKeySpki: bytes(spki),
    rpId: rpIdHere(),
    prfEnabled: !!prf?.enabled,
  };
}

/** Asks the member's key to sign the challenge, and for its PRF result over `prfSalt` if given. */
export async function askSecurityKey(ask: {
  credentialId: string;
  rpId: string;
  challenge: Uint8Array;
  prfSalt?: string;
}): Promise<{ assertion: Assertion; prfOutput?: Bytes }> {
  const unavailable = securityKeysAvailable();
  if (unavailable) throw new SecurityKeyError(unavailable);
  let cred: PublicKeyCredential;
  try {
    cred = (await navigator.credentials.get({
      publicKey: {
        rpId: ask.rpId,
        challenge: ask.challenge as Bytes,
        allowCredentials: [{ type: 'public-key', id: fromBase64Url(ask.credentialId) }],
        userVerification: 'preferred',
        timeout: 60_000,
        ...(ask.prfSalt
          ? {
              extensions: {
                prf: { eval: { first: fromBase64(ask.prfSalt) } },
              } as AuthenticationExtensionsClientInputs,
            }
          : {}),
      },
    })) as PublicKeyCredential;
  } catch (e) {
    throw words(e);
  }
  const r = cred.response as AuthenticatorAssertionResponse;
  const first = (cred.getClientExtensionResults() as { prf?: PrfResults }).prf?.results?.first;
  const prfOutput = first ? bytes(first) : undefined;
  return {
    assertion: {
      authenticatorData: bytes(r.authenticatorData),
      clientDataJSON: bytes(r.clientDataJSON),
      signature: bytes(r.signature),
    },
    prfOutput: prfOutput?.length === PRF_BYTES ? prfOutput : undefined,
  };
}
