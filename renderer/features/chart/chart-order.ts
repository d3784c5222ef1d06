/**
 * The order of a chart's parts for the person reading it (issue 16 point 9). Clinicians open a
 * chart to treat: risk alerts, then the treatment course (plan progress, what is due, the visits),
 * then measures; consent paperwork last. The front office opens it for paperwork: consent first.
 */
import type { Role } from '../../../shared/model';
import type { ChartGroup } from '../../app/contributions';

/** `'timeline'` is the chart's own list of visits, placed among the contributed groups. */
export type ChartPart = ChartGroup | 'timeline';

const CLINICAL: readonly ChartPart[] = [
  'alerts',
  'course',
  'search',
  'timeline',
  'measures',
  'consent',
];
const OFFICE: readonly ChartPart[] = [
  'alerts',
  'consent',
  'course',
  'search',
  'timeline',
  'measures',
];

export function chartOrder(roles: readonly Role[]): readonly ChartPart[] {
  return roles.some((r) => r === 'therapist' || r === 'prescriber') ? CLINICAL : OFFICE;
}
