/** Group a patient's records into the course timeline: visits with what was charted in them. */
import type { AnyRecord, Encounter, VisitKind } from '../../../shared/model';
import { indexFields } from '../../db/record-crypto';

export type TimelineVisit = {
  type: 'visit';
  encounter: Encounter;
  items: AnyRecord[];
  date: string;
};
export type TimelineLoose = { type: 'record'; record: AnyRecord; date: string };
export type TimelineEntry = TimelineVisit | TimelineLoose;

/** Kinds that are about the patient but not entries on the course timeline. */
const NOT_ON_TIMELINE = new Set(['patient', 'appointment']);

export function buildTimeline(
  records: AnyRecord[],
  filter: VisitKind | 'all' = 'all',
): TimelineEntry[] {
  const visits = new Map<string, TimelineVisit>();
  for (const r of records)
    if (r.kind === 'encounter')
      visits.set(r.id, { type: 'visit', encounter: r, items: [], date: r.start });
  const loose: TimelineLoose[] = [];
  for (const r of records) {
    if (r.kind === 'encounter' || NOT_ON_TIMELINE.has(r.kind)) continue;
    const encounterId = (r as { encounterId?: string }).encounterId;
    const visit = encounterId ? visits.get(encounterId) : undefined;
    if (visit) visit.items.push(r);
    else loose.push({ type: 'record', record: r, date: indexFields(r).date });
  }
  const entries: TimelineEntry[] = [...visits.values()].filter(
    (v) => filter === 'all' || v.encounter.visitKind === filter,
  );
  if (filter === 'all') entries.push(...loose);
  // Each record's date read once, not in every comparison (a chart holds hundreds of records).
  const dates = new Map<AnyRecord, string>();
  const dateOf = (r: AnyRecord) => {
    let d = dates.get(r);
    if (d === undefined) dates.set(r, (d = indexFields(r).date));
    return d;
  };
  for (const v of visits.values()) v.items.sort((a, b) => (dateOf(a) < dateOf(b) ? -1 : 1));
  return entries.sort((a, b) => (a.date < b.date ? 1 : -1));
}
