/**
 * The key of the keyed audit chain (issue 18 finding 2). Each clinic key version gives one audit
 * key: HKDF-SHA-256 over the raw clinic key, salted with the clinic id (RFC 5869). It lives only in
 * memory, derived at the first event a session writes; nothing on disk holds it, so whoever has
 * the database but no passphrase (or the server, which never holds a clinic key) cannot re-chain
 * the log after deleting or changing events.
 */
import { utf8 } from '../../shared/util/bytes';
import type { AuditMacKey, AuditMacKeys } from './audit-chain';
import type { Session } from './session';

const derived = new WeakMap<CryptoKey, Promise<Uint8Array>>();

export function deriveAuditKey(clinicKey: CryptoKey, clinicId: string): Promise<Uint8Array> {
  let pending = derived.get(clinicKey);
  if (!pending) {
    pending = (async () => {
      const raw = await crypto.subtle.exportKey('raw', clinicKey);
      const ikm = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveBits']);
      const bits = await crypto.subtle.deriveBits(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: utf8(`kat:audit-chain:v1|${clinicId}`),
          info: utf8('audit chain key'),
        },
        ikm,
        256,
      );
      return new Uint8Array(bits);
    })();
    derived.set(clinicKey, pending);
  }
  return pending;
}

/** The key this session chains new events with: that of the version it seals under. */
export async function auditMacFor(session: Session): Promise<AuditMacKey> {
  return {
    version: session.keyVersion,
    key: await deriveAuditKey(session.dataKey, session.clinicId),
  };
}

/** Every audit key the session can check with: one per clinic key version it holds. */
export async function auditMacKeysFor(session: Session): Promise<AuditMacKeys> {
  const keys = new Map<number, Uint8Array>();
  for (const { key, info } of session.keyring?.entries() ?? [])
    keys.set(info.version, await deriveAuditKey(key, session.clinicId));
  if (!keys.has(session.keyVersion))
    keys.set(session.keyVersion, await deriveAuditKey(session.dataKey, session.clinicId));
  return (version) => keys.get(version);
}
