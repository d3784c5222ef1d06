/**
 * The signed-in session: who is at the keyboard and the open clinic data key. Lives in memory only;
 * locking or signing out drops it (the key is never written anywhere in the clear).
 */
import { HybridClock } from '../../shared/sync/hlc';
import type { Role, User } from '../../shared/model';

export type Session = {
  clinicId: string;
  deviceId: string;
  user: User;
  dataKey: CryptoKey;
  keyVersion: number;
  clock: HybridClock;
};

export const hasRole = (s: Session, role: Role) => s.user.roles.includes(role);
