import { z } from 'zod';
import { RecordId, nonEmpty, recordBase } from './common';

export const ROLES = ['therapist', 'prescriber', 'practice-manager', 'administrator'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, string> = {
  therapist: 'Therapist',
  prescriber: 'Prescriber',
  'practice-manager': 'Practice manager',
  administrator: 'Administrator',
};

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,40}$/, 'User name: 2–40 letters, digits, dots, dashes or underscores');

export const UserBody = z.object({
  displayName: nonEmpty('Full name').max(120),
  username: Username,
  roles: z.array(Role).min(1, 'Pick at least one role'),
  /** Credentials shown on signatures and printouts, e.g. "MD", "LCSW". */
  credentials: z.string().trim().max(40).optional(),
  active: z.boolean().default(true),
  /**
   * Under supervision: the clinician whose co-signature this user's signed notes need (set by an
   * administrator; null once supervision ends). shared/rules/co-signature.ts.
   */
  supervisorId: RecordId.nullable().optional(),
});
export type UserBody = z.infer<typeof UserBody>;

export const User = z.object({ kind: z.literal('user'), ...recordBase, ...UserBody.shape });
export type User = z.infer<typeof User>;

/** A passphrase a clinic can live with: long rather than complex (NIST SP 800-63B §5.1.1). */
export const Passphrase = z
  .string()
  .min(10, 'Use at least 10 characters — a short sentence is easiest to remember')
  .max(200, 'That passphrase is too long');
