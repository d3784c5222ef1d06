/**
 * Outcome-measure instruments: wording, scoring, severity bands, chart alerts and due reminders.
 */
import type { Instrument, OutcomeMeasure } from '../../model/measure';
import { MEASURES } from './registry';
import type { MeasureAlert, MeasureResult, ScoreBand } from './types';

export { MEASURES } from './registry';
export { PHQ9, PHQ9_BANDS, PHQ9_ITEMS } from './phq9';
export { GAD7, GAD7_BANDS, GAD7_ITEMS } from './gad7';
export { PCL5, PCL5_BANDS, PCL5_CLUSTERS, PCL5_ITEMS, PCL5_PROBABLE_PTSD_CUTOFF } from './pcl5';
export { CSSRS_BANDS, CSSRS_ITEMS, CSSRS_SCREENER } from './cssrs';
export { DEFAULT_MEASURE_SCHEDULE, measuresDue } from './due';
export { OUTCOME_DEFINITIONS, changeFromBaseline, courseOutcome } from './change';
export type { ScoreChange, ScorePoint } from './change';
export type { DueMeasure, TakenMeasure, UpcomingEncounter } from './due';
export type * from './types';

/** Score raw answers; throws a RuleError naming the question when an answer is missing or invalid. */
export function scoreMeasure(instrument: Instrument, answers: readonly number[]): MeasureResult {
  return MEASURES[instrument].score(answers);
}

/** Severity bands of an instrument's total, for shading a trend chart; null if it has no total. */
export function chartBands(instrument: Instrument): readonly ScoreBand[] | null {
  return MEASURES[instrument].scale?.bands ?? null;
}

export type ChartAlert = MeasureAlert & {
  measureId: string;
  instrument: Instrument;
  administeredAt: string;
};

/**
 * The alerts to keep on a patient's chart: those of the latest valid measure of each instrument.
 * A newer measure of the same instrument replaces them (a later PHQ-9 with item 9 at 0 clears the
 * item-9 alert); entered-in-error measures never raise or clear one.
 */
export function chartAlerts(
  measures: readonly Pick<
    OutcomeMeasure,
    'id' | 'instrument' | 'administeredAt' | 'answers' | 'status'
  >[],
): ChartAlert[] {
  const latest = new Map<Instrument, { at: number; alerts: ChartAlert[] }>();
  for (const m of measures) {
    if (m.status === 'entered-in-error') continue;
    const at = Date.parse(m.administeredAt);
    const seen = latest.get(m.instrument);
    if (seen && seen.at >= at) continue;
    let result: MeasureResult;
    try {
      result = scoreMeasure(m.instrument, m.answers);
    } catch {
      continue; // an unfinished draft has no score yet, so it neither raises nor clears an alert
    }
    const alerts = result.alerts
      .filter((a) => a.persistent)
      .map((a) => ({
        ...a,
        measureId: m.id,
        instrument: m.instrument,
        administeredAt: m.administeredAt,
      }));
    latest.set(m.instrument, { at, alerts });
  }
  const out = [...latest.values()].flatMap((l) => l.alerts);
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
}
