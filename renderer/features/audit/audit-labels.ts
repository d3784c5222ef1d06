import type { AuditAction } from '../../../shared/model';

/** The audit actions in words an administrator reads at a glance. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  create: 'Created',
  update: 'Edited',
  view: 'Viewed chart',
  sign: 'Signed',
  addendum: 'Addendum',
  'entered-in-error': 'Entered in error',
  print: 'Printed',
  export: 'Exported',
  'sign-in': 'Signed in',
  'sign-in-failed': 'Failed sign-in',
  'sign-out': 'Signed out',
  lock: 'Locked',
  unlock: 'Unlocked',
  override: 'Safety override',
  'device-enrolled': 'Device enrolled',
  'break-glass': 'Emergency access',
  'demo-data': 'Demo data',
  'key-rotated': 'Clinic key changed',
  'recovery-key-created': 'Recovery key created',
  'passphrase-recovered': 'Passphrase reset with recovery key',
  'device-removed': 'Computer removed',
  'access-refused': 'Access refused',
  'audit-viewed': 'Opened the audit log',
  'emergency-reviewed': 'Emergency access reviewed',
  'patient-mode-started': 'Handed to the patient (patient mode)',
  'patient-mode-ended': 'Patient mode ended by staff',
  'co-signature-requested': 'Co-signature requested',
  'co-signed': 'Co-signed',
  'co-signature-returned': 'Returned for co-signature',
  'second-factor-changed': 'Second factor changed',
};

export const actionLabel = (a: AuditAction) => AUDIT_ACTION_LABELS[a] ?? a;
