/**
 * GAD-7, Generalized Anxiety Disorder scale (Spitzer, Kroenke, Williams & Löwe, Arch Intern Med
 * 2006;166:1092–1097). Developed with an educational grant from Pfizer Inc.; free to reproduce.
 */
import { FREQUENCY_OPTIONS } from './phq9';
import type { MeasureDefinition, MeasureItem, ScoreBand } from './types';
import { assertAnswers, bandForTotal, sum } from './types';

const QUESTIONS = [
  'Feeling nervous, anxious, or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid, as if something awful might happen',
];

export const GAD7_ITEMS: readonly MeasureItem[] = QUESTIONS.map((text, i) => ({
  number: i + 1,
  text,
  options: FREQUENCY_OPTIONS,
}));

/**
 * Cut-points 5, 10 and 15 for mild, moderate and severe anxiety (Spitzer 2006). "Severe" shares
 * level 4 with PHQ-9's severe band so both charts use the same colour for it.
 */
export const GAD7_BANDS: readonly ScoreBand[] = [
  { key: 'minimal', label: 'Minimal', level: 0, min: 0, max: 4 },
  { key: 'mild', label: 'Mild', level: 1, min: 5, max: 9 },
  { key: 'moderate', label: 'Moderate', level: 2, min: 10, max: 14 },
  { key: 'severe', label: 'Severe', level: 4, min: 15, max: 21 },
];

export const GAD7: MeasureDefinition = {
  instrument: 'gad7',
  name: 'Generalized Anxiety Disorder 7-item scale (GAD-7)',
  shortName: 'GAD-7',
  instructions:
    'Over the last 2 weeks, how often have you been bothered by the following problems?',
  items: GAD7_ITEMS,
  bands: GAD7_BANDS,
  scale: { min: 0, max: 21, bands: GAD7_BANDS },
  source:
    'Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166:1092–1097 (Pfizer, public).',
  score(answers) {
    assertAnswers('GAD-7', GAD7_ITEMS, answers);
    const total = sum(answers);
    return {
      instrument: 'gad7',
      total,
      band: bandForTotal(GAD7_BANDS, total),
      alerts: [],
      subscales: [],
      findings: [],
    };
  },
};
