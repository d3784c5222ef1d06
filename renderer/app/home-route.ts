/**
 * Where each user's day starts. Clinicians land on "My work today" (their visits, drafts to sign,
 * co-signatures, risk alerts); the practice manager on the day's schedule; everyone else on the
 * patient list. Sign-in uses this for whoever signs in, never the previous user's last screen.
 */
import type { Role } from '../../shared/model';

export const MY_WORK_ROUTE = '/my-work';

export function homeRoute(roles: readonly Role[]): string {
  if (roles.includes('therapist') || roles.includes('prescriber')) return MY_WORK_ROUTE;
  if (roles.includes('practice-manager')) return '/schedule';
  return '/';
}
