/**
 * Change over a course of treatment: each score against the patient's baseline (the first valid
 * score of that instrument), and the outcome definitions clinicians report.
 *
 * - Response: total down by 50 % or more from baseline — the convention for depression and anxiety
 *   scales (Rush AJ et al., ACNP Task Force on response and remission in MDD,
 *   Neuropsychopharmacology 2006;31:1841–1853).
 * - Remission: PHQ-9 below 5 (Kroenke K, Spitzer RL, Psychiatr Ann 2002;32:509–515: 0–4 is
 *   "none–minimal"); GAD-7 below 5 (Spitzer RL et al., Arch Intern Med 2006;166:1092–1097,
 *   minimal anxiety 0–4).
 * - PCL-5 has no published remission cut-off; a drop of 10 points or more is a clinically
 *   meaningful improvement (National Center for PTSD, "Using the PCL-5", 2018: 10–20 points).
 */
import type { Instrument } from '../../model/measure';

export type ScorePoint = { id?: string; at: string; total: number };

type Outcomes = {
  /** Response as a fraction of baseline that must be lost (0.5 = 50 % drop), or null. */
  responseDrop: number | null;
  /** Remission when the total is below this, or null when the instrument has none. */
  remissionBelow: number | null;
  /** A drop of this many points is a clinically meaningful improvement, or null. */
  meaningfulDrop: number | null;
  source: string;
};

export const OUTCOME_DEFINITIONS: Partial<Record<Instrument, Outcomes>> = {
  phq9: {
    responseDrop: 0.5,
    remissionBelow: 5,
    meaningfulDrop: null,
    source:
      'Response: ≥ 50 % drop from baseline (Rush et al., Neuropsychopharmacology 2006). ' +
      'Remission: PHQ-9 < 5 (Kroenke & Spitzer, Psychiatr Ann 2002).',
  },
  gad7: {
    responseDrop: 0.5,
    remissionBelow: 5,
    meaningfulDrop: null,
    source:
      'Response: ≥ 50 % drop from baseline (Rush et al., Neuropsychopharmacology 2006). ' +
      'Remission: GAD-7 < 5 (Spitzer et al., Arch Intern Med 2006).',
  },
  pcl5: {
    responseDrop: null,
    remissionBelow: null,
    meaningfulDrop: 10,
    source:
      'A drop of 10 points or more is clinically meaningful (National Center for PTSD, ' +
      'Using the PCL-5, 2018); the PCL-5 has no remission cut-off.',
  },
};

export type ScoreChange = {
  baseline: ScorePoint;
  point: ScorePoint;
  isBaseline: boolean;
  /** Points since baseline: negative is better on every instrument here. */
  change: number;
  /** Percent change from baseline (−50 = halved); null when the baseline total was 0. */
  percent: number | null;
  response: boolean;
  remission: boolean;
  meaningfulImprovement: boolean;
};

/** Oldest first; the first is the baseline. */
const ordered = (points: readonly ScorePoint[]) =>
  [...points].sort((a, b) => a.at.localeCompare(b.at));

export function changeFromBaseline(
  instrument: Instrument,
  points: readonly ScorePoint[],
  point: ScorePoint,
): ScoreChange | undefined {
  const baseline = ordered(points)[0];
  if (!baseline) return undefined;
  const rules = OUTCOME_DEFINITIONS[instrument];
  const change = point.total - baseline.total;
  const percent = baseline.total === 0 ? null : Math.round((change / baseline.total) * 100);
  const isBaseline = baseline === point || (baseline.at === point.at && baseline.id === point.id);
  return {
    baseline,
    point,
    isBaseline,
    change,
    percent,
    response:
      !isBaseline &&
      rules?.responseDrop != null &&
      baseline.total > 0 &&
      point.total <= baseline.total * (1 - rules.responseDrop),
    remission: rules?.remissionBelow != null && point.total < rules.remissionBelow,
    meaningfulImprovement:
      !isBaseline && rules?.meaningfulDrop != null && -change >= rules.meaningfulDrop,
  };
}

/** Where a course stands: the latest score against baseline (undefined with no scores). */
export function courseOutcome(instrument: Instrument, points: readonly ScorePoint[]) {
  const latest = ordered(points).at(-1);
  return latest && changeFromBaseline(instrument, points, latest);
}
