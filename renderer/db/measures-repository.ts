/**
 * Outcome measures: scored from the raw answers before anything is stored (an unanswered question
 * is refused by name), then saved signed in one step, since a questionnaire is final once given.
 */
import type {
  Appointment,
  Encounter,
  Instrument,
  OutcomeMeasure,
  VisitKind,
} from '../../shared/model';
import { MEASURES, type MeasureResult, scoreMeasure } from '../../shared/rules/measures';
import type { RecordStore } from './record-store';

/**
 * Questions the instrument skips (C-SSRS 3–5 when question 2 is "No") count as 0, so the stored
 * answers always have one value per question.
 */
export function answersWithSkips(instrument: Instrument, answers: readonly (number | null)[]) {
  const items = MEASURES[instrument].items;
  return items.map((item, i) => {
    const rule = item.askedOnlyIf;
    if (rule && answers[rule.item - 1] !== rule.value) return 0;
    return answers[i] ?? null;
  });
}

/** The caller has re-checked the passphrase: the measure is stored signed. */
export async function recordMeasure(
  store: RecordStore,
  input: {
    patientId: string;
    instrument: Instrument;
    answers: readonly (number | null)[];
    encounterId?: string;
    administeredAt?: Date;
  },
): Promise<{ measure: OutcomeMeasure; result: MeasureResult }> {
  const answers = answersWithSkips(input.instrument, input.answers) as number[];
  const result = scoreMeasure(input.instrument, answers);
  const measure = await store.createSigned('measure', {
    patientId: input.patientId,
    ...(input.encounterId ? { encounterId: input.encounterId } : {}),
    instrument: input.instrument,
    administeredAt: (input.administeredAt ?? new Date()).toISOString(),
    answers,
  });
  return { measure, result };
}

export type TrendPoint = { id: string; at: string; total: number; band: string };

/** Totals over time for one instrument, oldest first; in-error and unscoreable ones left out. */
export function measureTrend(
  measures: readonly OutcomeMeasure[],
  instrument: Instrument,
): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const m of measures) {
    if (m.instrument !== instrument || m.status === 'entered-in-error') continue;
    try {
      const r = scoreMeasure(m.instrument, m.answers);
      if (r.total !== null)
        points.push({ id: m.id, at: m.administeredAt, total: r.total, band: r.band.label });
    } catch {
      continue;
    }
  }
  return points.sort((a, b) => a.at.localeCompare(b.at));
}

/** A visit under way stays "upcoming" for the due check while it lasts (measuresDue counts it). */
const UNDER_WAY_MS = 12 * 3_600_000;

/** The patient's next visit (booked or just started), for the "measures due" reminder. */
export function nextVisit(
  appointments: readonly Appointment[],
  encounters: readonly Encounter[],
  now: Date,
): { id?: string; visitKind: VisitKind; start: string } | undefined {
  const from = now.getTime() - UNDER_WAY_MS;
  const candidates = [
    ...appointments
      .filter((a) => !a.cancelled && a.status !== 'entered-in-error')
      .map((a) => ({ visitKind: a.visitKind, start: a.start })),
    ...encounters
      .filter((e) => e.status !== 'entered-in-error')
      .map((e) => ({ id: e.id, visitKind: e.visitKind, start: e.start })),
  ].filter((v) => Date.parse(v.start) >= from);
  return candidates.sort((a, b) => a.start.localeCompare(b.start))[0];
}
