/**
 * Where a timeline entry opens. Feature areas register the screen for their kind of record;
 * kinds without one are shown as a summary line only.
 */
import type { AnyRecord, RecordKind } from '../../../shared/model';
import { CONSENT_LINKS } from '../consent/consent-registry';
import { CHARTING_LINKS } from '../notes/charting-registry';
import { PRESCRIBER_LINKS } from '../dosing/prescriber-registry';

export const RECORD_LINKS: Partial<Record<RecordKind, (record: AnyRecord) => string>> = {
  ...CONSENT_LINKS,
  ...CHARTING_LINKS,
  ...PRESCRIBER_LINKS,
};
