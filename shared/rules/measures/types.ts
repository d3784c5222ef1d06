/**
 * What every outcome-measure instrument provides: its printed wording, its answer choices, its
 * severity bands and a scorer. Scores are always computed here from the raw answers, never typed in.
 */
import type { Instrument } from '../../model/measure';
import { RuleError } from '../errors';

export type ResponseOption = { value: number; label: string };

export type MeasureItem = {
  /** As printed on the form, 1-based. */
  number: number;
  text: string;
  options: readonly ResponseOption[];
  /** Printed under the question (examples, follow-up question). */
  note?: string;
  /** Skip logic: the question is asked only when item `item` was answered `value`; else it is 0. */
  askedOnlyIf?: { item: number; value: number };
  /** An answer above 0 raises a suicide-risk alert (PHQ-9 item 9): shown highlighted on review. */
  critical?: boolean;
};

/**
 * A severity band. `level` is a shared 0–4 colour scale (0 none/minimal … 4 severe/high) so every
 * chart and badge shades alike; it does not make bands of different instruments comparable.
 */
export type SeverityLevel = 0 | 1 | 2 | 3 | 4;
export type SeverityBand = { key: string; label: string; level: SeverityLevel };
/** A band of total scores, inclusive at both ends, for shading a trend chart. */
export type ScoreBand = SeverityBand & { min: number; max: number };

export type MeasureAlert = {
  code: string;
  kind: 'suicide-risk';
  severity: 'critical' | 'warning';
  message: string;
  /** Shown on the patient's chart itself, not only on the measure, until a newer one replaces it. */
  persistent: boolean;
};

export type Subscale = {
  key: string;
  label: string;
  items: readonly number[];
  score: number;
  max: number;
};

export type MeasureResult = {
  instrument: Instrument;
  /** null for the C-SSRS screener, which has no total score: its result is the risk level. */
  total: number | null;
  band: SeverityBand;
  alerts: MeasureAlert[];
  subscales: Subscale[];
  /** Plain-language lines for the clinician (e.g. which answers set the risk level). */
  findings: string[];
};

export type MeasureDefinition = {
  instrument: Instrument;
  name: string;
  shortName: string;
  /** The stem printed above the questions, with its time frame. */
  instructions: string;
  items: readonly MeasureItem[];
  /** Every band the result can fall in, lowest first. */
  bands: readonly SeverityBand[];
  /** Total-score range and bands for a trend chart; null when the instrument has no total. */
  scale: { min: number; max: number; bands: readonly ScoreBand[] } | null;
  /** Where the wording and scoring come from. */
  source: string;
  score(answers: readonly number[]): MeasureResult;
};

/** Throws a RuleError naming the first question whose answer is missing or not a choice. */
export function assertAnswers(
  shortName: string,
  items: readonly MeasureItem[],
  answers: readonly number[],
): void {
  if (answers.length !== items.length)
    throw new RuleError(
      'measure.answer-count',
      `${shortName} has ${items.length} questions but ${answers.length} answers were given. ` +
        'Answer every question once before scoring.',
    );
  items.forEach((item, i) => {
    const value = answers[i];
    if (!item.options.some((o) => o.value === value)) {
      const choices = item.options.map((o) => `${o.value} "${o.label}"`).join(', ');
      throw new RuleError(
        'measure.answer-range',
        `${shortName} question ${item.number}: ${String(value)} is not one of its answers ` +
          `(${choices}). Choose one of these.`,
      );
    }
  });
}

/** The band a total falls in; bands must cover the whole scale without gaps. */
export function bandForTotal(bands: readonly ScoreBand[], total: number): ScoreBand {
  const band = bands.find((b) => total >= b.min && total <= b.max);
  if (!band) throw new RangeError(`No band covers the total ${total}`);
  return band;
}

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Answers to the given 1-based item numbers. */
export const pick = (answers: readonly number[], items: readonly number[]) =>
  items.map((n) => answers[n - 1] ?? 0);
