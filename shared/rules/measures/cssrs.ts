/**
 * C-SSRS Screener, Columbia-Suicide Severity Rating Scale, screen version "Lifetime/Recent"
 * (Posner et al., The Columbia Lighthouse Project; use in clinical settings permitted without
 * charge). Questions 1–5 cover the past month; question 6 asks about behaviour ever, then whether
 * it was within the past 3 months. Triage per the screener's triage colours (2021 edition) and the
 * Columbia "Clinical triage and workflow guidelines": yes to 1 or 2 → low; yes to 3, or behaviour
 * more than 3 months ago → moderate; yes to 4 or 5, or behaviour within 3 months → high.
 */
import { RuleError } from '../errors';
import type { MeasureAlert, MeasureDefinition, MeasureItem, SeverityBand } from './types';
import { assertAnswers } from './types';

const YES_NO = [
  { value: 0, label: 'No' },
  { value: 1, label: 'Yes' },
] as const;

/** Question 6 and its follow-up ("Was this within the past 3 months?") as one answer. */
export const BEHAVIOUR_OPTIONS = [
  { value: 0, label: 'No' },
  { value: 1, label: 'Yes, but more than 3 months ago' },
  { value: 2, label: 'Yes, within the past 3 months' },
] as const;

const ASKED_IF_THOUGHTS = { item: 2, value: 1 } as const;

export const CSSRS_ITEMS: readonly MeasureItem[] = [
  {
    number: 1,
    text: 'Have you wished you were dead or wished you could go to sleep and not wake up?',
    options: YES_NO,
    note: 'Wish to be dead — past month.',
  },
  {
    number: 2,
    text: 'Have you actually had any thoughts of killing yourself?',
    options: YES_NO,
    note: 'Non-specific active suicidal thoughts — past month. If YES, ask questions 3, 4, 5 and 6. If NO, go directly to question 6.',
  },
  {
    number: 3,
    text: 'Have you been thinking about how you might do this?',
    options: YES_NO,
    note: 'Active suicidal ideation with any methods (not plan) without intent to act — past month. E.g. "I thought about taking an overdose but I never made a specific plan as to when, where or how I would actually do it… and I would never go through with it."',
    askedOnlyIf: ASKED_IF_THOUGHTS,
  },
  {
    number: 4,
    text: 'Have you had these thoughts and had some intention of acting on them?',
    options: YES_NO,
    note: 'Active suicidal ideation with some intent to act, without specific plan — past month. As opposed to "I have the thoughts but I definitely will not do anything about them."',
    askedOnlyIf: ASKED_IF_THOUGHTS,
  },
  {
    number: 5,
    text: 'Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry out this plan?',
    options: YES_NO,
    note: 'Active suicidal ideation with specific plan and intent — past month.',
    askedOnlyIf: ASKED_IF_THOUGHTS,
  },
  {
    number: 6,
    text: 'Have you ever done anything, started to do anything, or prepared to do anything to end your life?',
    options: BEHAVIOUR_OPTIONS,
    note: 'Suicidal behaviour — lifetime. Examples: collected pills, obtained a gun, gave away valuables, wrote a will or suicide note, took out pills but didn’t swallow any, held a gun but changed your mind or it was grabbed from your hand, went to the roof but didn’t jump; or actually took pills, tried to shoot yourself, cut yourself, tried to hang yourself, etc. If YES, ask: Was this within the past 3 months?',
  },
];

export const CSSRS_BANDS: readonly SeverityBand[] = [
  { key: 'none', label: 'No risk identified by the screener', level: 0 },
  { key: 'low', label: 'Low risk', level: 1 },
  { key: 'moderate', label: 'Moderate risk', level: 2 },
  { key: 'high', label: 'High risk', level: 4 },
];

type Risk = 'none' | 'low' | 'moderate' | 'high';

/** The next step the triage attaches to each risk level. */
const NEXT_STEP: Record<Exclude<Risk, 'none'>, string> = {
  low: 'Refer for behavioral health follow-up.',
  moderate: 'Arrange a behavioral health consultation and consider patient safety precautions.',
  high:
    'Start patient safety precautions now and keep them until a mental health professional has ' +
    'evaluated the patient; behavioral health consultation today.',
};

function reasons(a: readonly number[]): { risk: Risk; why: string }[] {
  const out: { risk: Risk; why: string }[] = [];
  if (a[3] === 1) out.push({ risk: 'high', why: 'Question 4 (intent to act) — yes, past month.' });
  if (a[4] === 1)
    out.push({ risk: 'high', why: 'Question 5 (plan and intent) — yes, past month.' });
  if (a[5] === 2)
    out.push({ risk: 'high', why: 'Question 6 (suicidal behaviour) — within the past 3 months.' });
  if (a[2] === 1)
    out.push({ risk: 'moderate', why: 'Question 3 (thinking about method) — yes, past month.' });
  if (a[5] === 1)
    out.push({
      risk: 'moderate',
      why: 'Question 6 (suicidal behaviour) — more than 3 months ago.',
    });
  if (a[0] === 1) out.push({ risk: 'low', why: 'Question 1 (wish to be dead) — yes, past month.' });
  if (a[1] === 1)
    out.push({ risk: 'low', why: 'Question 2 (thoughts of killing oneself) — yes, past month.' });
  return out;
}

const RANK: Record<Risk, number> = { none: 0, low: 1, moderate: 2, high: 3 };

function assertSkipLogic(answers: readonly number[]): void {
  if (answers[1] === 1) return;
  const asked = [3, 4, 5].find((n) => answers[n - 1] !== 0);
  if (asked)
    throw new RuleError(
      'measure.skip-logic',
      `C-SSRS question ${asked} is asked only when question 2 is "Yes", but question 2 is "No". ` +
        'Correct question 2 or clear questions 3 to 5.',
    );
}

export const CSSRS_SCREENER: MeasureDefinition = {
  instrument: 'cssrs-screener',
  name: 'Columbia-Suicide Severity Rating Scale — Screener (C-SSRS)',
  shortName: 'C-SSRS screener',
  instructions:
    'Ask the questions in order. Questions 1 to 5 are about the past month; question 6 is about ' +
    'the lifetime, then whether it was within the past 3 months.',
  items: CSSRS_ITEMS,
  bands: CSSRS_BANDS,
  scale: null,
  source:
    'C-SSRS Screen Version, Lifetime/Recent, with triage (The Columbia Lighthouse Project, Posner ' +
    'K et al.); Columbia "Clinical triage and workflow guidelines for the C-SSRS".',
  score(answers) {
    assertAnswers('C-SSRS screener', CSSRS_ITEMS, answers);
    assertSkipLogic(answers);
    const found = reasons(answers);
    const risk = found.reduce<Risk>((r, f) => (RANK[f.risk] > RANK[r] ? f.risk : r), 'none');
    const band = CSSRS_BANDS.find((b) => b.key === risk) ?? CSSRS_BANDS[0]!;
    const alerts: MeasureAlert[] =
      risk === 'none'
        ? []
        : [
            {
              code: `cssrs.${risk}`,
              kind: 'suicide-risk',
              severity: risk === 'high' ? 'critical' : 'warning',
              persistent: true,
              message: `C-SSRS screener: ${band.label.toLowerCase()}. ${NEXT_STEP[risk]}`,
            },
          ];
    return {
      instrument: 'cssrs-screener',
      total: null,
      band,
      alerts,
      subscales: [],
      findings: found.map((f) => f.why),
    };
  },
};
