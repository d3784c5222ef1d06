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
  /** The key this computer's records are stored under (its storage version, see keyVersion). */
  dataKey: CryptoKey;
  /** Version of dataKey: the clinic key version current when this computer was set up. */
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
