/**
 * Fingerprints people compare on two screens (Signal's safety numbers, Bitwarden's fingerprint
 * phrase): five groups of five digits from SHA-256 of what must match. A computer joining shows
 * the one of (the clinic root it was given, its own device key); the administrator's screen shows
 * the one of (the root it holds, the device key the server listed). A server that substituted
 * either shows two different numbers. 25 digits ≈ 83 bits: no one finds a key that collides
 * while a person waits.
 */
import { sha256 } from '../crypto/hash';
import { utf8 } from '../util/bytes';

async function digits(label: string, parts: readonly string[]): Promise<string> {
  const d = await sha256(utf8(`kat:fingerprint:v1|${label}|${parts.join('|')}`));
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + d[g * 5 + i]!;
    groups.push(String(n % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** What the joining computer and the administrator compare before the computer is enrolled. */
export const joinFingerprint = (rootHash: string, devicePublicKey: string) =>
  digits('device', [rootHash, devicePublicKey]);

/** A member's keys under the clinic root: compared when a new identity is confirmed. */
export const memberFingerprint = (
  rootHash: string,
  userId: string,
  keys: { signingKey: string; agreementKey: string },
) => digits('member', [rootHash, userId, keys.signingKey, keys.agreementKey]);
