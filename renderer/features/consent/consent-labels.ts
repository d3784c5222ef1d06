/** Words for consent values on screen. */
import type { ConsentTemplate } from '../../../shared/model';
import type { ConsentState } from '../../../shared/rules/consent';

export const SIGNER_LABELS: Record<ConsentTemplate['signers'][number], string> = {
  patient: 'Patient',
  witness: 'Witness',
  clinician: 'Clinician',
};

export const VALIDITY_LABELS: Record<ConsentTemplate['validity'], string> = {
  'never-expires': 'Never expires',
  '6-months': '6 months',
  '12-months': '12 months',
  'per-program': 'For the program',
};

export const STATE_LABELS: Record<ConsentState, string> = {
  current: 'Current',
  expiring: 'Expiring soon',
  reconsent: 'Re-consent needed',
  expired: 'Expired',
  missing: 'Missing',
  withdrawn: 'Withdrawn',
};

/** Badge colors: Mantine's defaults meet AA contrast in the light variant (theme.ts). */
export const STATE_COLORS: Record<ConsentState, string> = {
  current: 'teal',
  expiring: 'yellow',
  reconsent: 'orange',
  expired: 'red',
  missing: 'red',
  withdrawn: 'grape',
};
