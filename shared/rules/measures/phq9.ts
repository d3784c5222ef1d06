/**
 * PHQ-9, Patient Health Questionnaire (Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606–613).
 * Developed by Drs. Spitzer, Williams, Kroenke and colleagues with an educational grant from Pfizer
 * Inc.; no permission is required to reproduce, translate, display or distribute it.
 */
import type { MeasureAlert, MeasureDefinition, MeasureItem, ScoreBand } from './types';
import { assertAnswers, bandForTotal, sum } from './types';

export const FREQUENCY_OPTIONS = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
] as const;

const QUESTIONS = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so ' +
    'fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
];

export const PHQ9_ITEMS: readonly MeasureItem[] = QUESTIONS.map((text, i) => ({
  number: i + 1,
  text,
  options: FREQUENCY_OPTIONS,
  ...(i === 8 ? { critical: true } : {}), // item 9: see item9Alert
}));

/** Severity cut-points 5, 10, 15, 20 (Kroenke 2001, table 3; PHQ-9 scoring card). */
export const PHQ9_BANDS: readonly ScoreBand[] = [
  { key: 'minimal', label: 'None–minimal', level: 0, min: 0, max: 4 },
  { key: 'mild', label: 'Mild', level: 1, min: 5, max: 9 },
  { key: 'moderate', label: 'Moderate', level: 2, min: 10, max: 14 },
  { key: 'moderately-severe', label: 'Moderately severe', level: 3, min: 15, max: 19 },
  { key: 'severe', label: 'Severe', level: 4, min: 20, max: 27 },
];

/**
 * Item 9 asks about thoughts of death or self-harm. Any answer above "Not at all" calls for a
 * suicide-risk assessment whatever the total (PHQ-9 instructions; Kroenke 2001).
 */
function item9Alert(answer: number): MeasureAlert[] {
  if (answer === 0) return [];
  const said = FREQUENCY_OPTIONS[answer]?.label ?? String(answer);
  return [
    {
      code: 'phq9.item9',
      kind: 'suicide-risk',
      severity: 'critical',
      persistent: true,
      message:
        `PHQ-9 question 9 (thoughts of being better off dead or of self-harm) answered "${said}". ` +
        'Assess suicide risk today (for example with the C-SSRS screener) and follow the ' +
        "clinic's safety plan.",
    },
  ];
}

export const PHQ9: MeasureDefinition = {
  instrument: 'phq9',
  name: 'Patient Health Questionnaire (PHQ-9)',
  shortName: 'PHQ-9',
  instructions:
    'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  items: PHQ9_ITEMS,
  bands: PHQ9_BANDS,
  scale: { min: 0, max: 27, bands: PHQ9_BANDS },
  source: 'Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16:606–613 (Pfizer, public).',
  score(answers) {
    assertAnswers('PHQ-9', PHQ9_ITEMS, answers);
    const total = sum(answers);
    return {
      instrument: 'phq9',
      total,
      band: bandForTotal(PHQ9_BANDS, total),
      alerts: item9Alert(answers[8] ?? 0),
      subscales: [],
      findings: [],
    };
  },
};
