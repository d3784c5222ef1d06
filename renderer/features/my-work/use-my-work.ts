/** My work today as a live query (components never touch the database). */
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { useClinicSettings } from '../../app/use-records';
import { type MyWork, myWorkToday } from '../../db/my-work-repository';

export function useMyWork(): MyWork | undefined {
  const store = useStore();
  const settings = useClinicSettings();
  const days = settings.unsignedNoteAlertDays;
  const schedule = JSON.stringify(settings.measureSchedule ?? null);
  return useLiveQuery(
    () =>
      myWorkToday(store, {
        unsignedNoteAlertDays: days,
        measureSchedule: settings.measureSchedule,
      }),
    [store, days, schedule],
  );
}

/**
 * How many things wait for me: visits still needing something, drafts, alerts, notes to co-sign,
 * my notes returned by my supervisor, my patients' planned doses or maintenance due, questionnaires
 * patients answered awaiting review, and my patients' consents expiring within 30 days.
 */
export function countMyWork(work: MyWork | undefined): number | undefined {
  if (!work) return undefined;
  return (
    work.today.filter((v) => v.needs.length > 0).length +
    work.drafts.length +
    work.alerts.length +
    work.coSignature.requests.length +
    work.coSignature.returned.length +
    work.reminders.length +
    work.toReview.length +
    work.expiring.length
  );
}

export function useMyWorkCount(): number | undefined {
  return countMyWork(useMyWork());
}
