/**
 * The signed-in session: who is at the keyboard and the open clinic data key. Lives in memory only;
 * locking or signing out drops it (the key is never written anywhere in the clear).
 */
import type { ClinicKeyring, Identity } from '../../shared/crypto/keyring';
import { HybridClock } from '../../shared/sync/hlc';
import type { Role, User } from '../../shared/model';

export type Session = {
  clinicId: string;
  deviceId: string;
  user: User;
  /**
   * The newest clinic key version this session holds: everything sealed from now on, at rest
   * (records, form drafts, audit details, backups) and on the wire, goes under it. Follows the
   * keyring (followNewestVersion): a rotation made here or opened from elsewhere moves it at once.
   */
  dataKey: CryptoKey;
  /** Version of dataKey. Rows at rest name their own version and open with its key (keyring). */
  keyVersion: number;
  clock: HybridClock;
  /**
   * Every clinic key version the user holds: new bundles go out under the active one, older
   * bundles are read with theirs. Absent only in sessions built by tests and tools.
   */
  keyring?: ClinicKeyring;
  /** The user's open identity key pair: opens versions granted to them while they work. */
  identity?: Identity;
};

export const hasRole = (s: Session, role: Role) => s.user.roles.includes(role);

/**
 * Keeps `dataKey`/`keyVersion` on the newest version of the session's keyring, now and whenever a
 * newer one is added (issue 13 point 5: rotation protects what comes after, at once).
 */
export function followNewestVersion(session: Session): () => void {
  const ring = session.keyring;
  if (!ring || ring.activeVersion === 0) return () => undefined;
  const adopt = () => {
    session.dataKey = ring.activeKey;
    session.keyVersion = ring.activeVersion;
  };
  adopt();
  return ring.onNewerVersion(adopt);
}
