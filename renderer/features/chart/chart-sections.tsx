/**
 * What a patient's chart shows besides its header and timeline. Feature areas add entries here:
 * `actions` render in the chart's action bar (e.g. "New note", "Record dose"), `panels` above the
 * timeline (alerts, consent status, trends). Each receives the patient id and decides itself
 * whether the signed-in role may see it.
 */
import type { ComponentType } from 'react';
import { CONSENT_ACTIONS, CONSENT_PANELS } from '../consent/consent-registry';
import { CHARTING_ACTIONS, CHARTING_PANELS } from '../notes/charting-registry';
import { PRESCRIBER_ACTIONS, PRESCRIBER_PANELS } from '../dosing/prescriber-registry';
import { EmergencyAccessAction, EmergencyAccessBanner } from '../audit/EmergencyAccess';

export type ChartSectionProps = { patientId: string };

export const CHART_ACTIONS: ComponentType<ChartSectionProps>[] = [
  ...CONSENT_ACTIONS,
  ...CHARTING_ACTIONS,
  ...PRESCRIBER_ACTIONS,
  EmergencyAccessAction,
];
export const CHART_PANELS: ComponentType<ChartSectionProps>[] = [
  ...CONSENT_PANELS,
  ...CHARTING_PANELS,
  ...PRESCRIBER_PANELS,
  EmergencyAccessBanner,
];
