/**
 * PCL-5, PTSD Checklist for DSM-5 (Weathers, Litz, Keane, Palmieri, Marx & Schnurr, 2013; National
 * Center for PTSD, public domain). Past-month version without the Criterion A section.
 */
import type { MeasureDefinition, MeasureItem, ScoreBand, Subscale } from './types';
import { assertAnswers, bandForTotal, pick, sum } from './types';

const BOTHERED_OPTIONS = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'A little bit' },
  { value: 2, label: 'Moderately' },
  { value: 3, label: 'Quite a bit' },
  { value: 4, label: 'Extremely' },
] as const;

const QUESTIONS = [
  'Repeated, disturbing, and unwanted memories of the stressful experience?',
  'Repeated, disturbing dreams of the stressful experience?',
  'Suddenly feeling or acting as if the stressful experience were actually happening again (as if ' +
    'you were actually back there reliving it)?',
  'Feeling very upset when something reminded you of the stressful experience?',
  'Having strong physical reactions when something reminded you of the stressful experience (for ' +
    'example, heart pounding, trouble breathing, sweating)?',
  'Avoiding memories, thoughts, or feelings related to the stressful experience?',
  'Avoiding external reminders of the stressful experience (for example, people, places, ' +
    'conversations, activities, objects, or situations)?',
  'Trouble remembering important parts of the stressful experience?',
  'Having strong negative beliefs about yourself, other people, or the world (for example, having ' +
    'thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, ' +
    'the world is completely dangerous)?',
  'Blaming yourself or someone else for the stressful experience or what happened after it?',
  'Having strong negative feelings such as fear, horror, anger, guilt, or shame?',
  'Loss of interest in activities that you used to enjoy?',
  'Feeling distant or cut off from other people?',
  'Trouble experiencing positive feelings (for example, being unable to feel happiness or have ' +
    'loving feelings for people close to you)?',
  'Irritable behavior, angry outbursts, or acting aggressively?',
  'Taking too many risks or doing things that could cause you harm?',
  'Being “superalert” or watchful or on guard?',
  'Feeling jumpy or easily startled?',
  'Having difficulty concentrating?',
  'Trouble falling or staying asleep?',
];

export const PCL5_ITEMS: readonly MeasureItem[] = QUESTIONS.map((text, i) => ({
  number: i + 1,
  text,
  options: BOTHERED_OPTIONS,
}));

/**
 * Probable PTSD at a total of 33 or more: the cut-point the National Center for PTSD's PCL-5
 * guidance gives, from Bovin et al. (Psychol Assess 2016;28:1379–1391), whose data put the best
 * cut-point between 31 and 33. There are no published severity ranges beyond this threshold.
 */
export const PCL5_PROBABLE_PTSD_CUTOFF = 33;
export const PCL5_BANDS: readonly ScoreBand[] = [
  { key: 'below-threshold', label: 'Below probable-PTSD threshold', level: 0, min: 0, max: 32 },
  { key: 'probable-ptsd', label: 'Probable PTSD', level: 3, min: 33, max: 80 },
];

/** DSM-5 PTSD symptom clusters and how many symptoms (items rated 2 or more) each needs. */
export const PCL5_CLUSTERS = [
  { key: 'B', label: 'Intrusion (B)', items: [1, 2, 3, 4, 5], needed: 1 },
  { key: 'C', label: 'Avoidance (C)', items: [6, 7], needed: 1 },
  {
    key: 'D',
    label: 'Negative alterations in cognitions and mood (D)',
    items: [8, 9, 10, 11, 12, 13, 14],
    needed: 2,
  },
  {
    key: 'E',
    label: 'Alterations in arousal and reactivity (E)',
    items: [15, 16, 17, 18, 19, 20],
    needed: 2,
  },
] as const;

/** "Moderately" or higher counts as a symptom endorsed (NCPTSD PCL-5 scoring instructions). */
const ENDORSED_AT = 2;

function findings(answers: readonly number[], total: number): string[] {
  const counts = PCL5_CLUSTERS.map((c) => ({
    ...c,
    endorsed: pick(answers, c.items).filter((a) => a >= ENDORSED_AT).length,
  }));
  const met = counts.every((c) => c.endorsed >= c.needed);
  const tally = counts.map((c) => `${c.key} ${c.endorsed}/${c.needed}`).join(', ');
  const out = [
    `${met ? 'Meets' : 'Does not meet'} the DSM-5 symptom pattern for a provisional PTSD ` +
      `diagnosis (items rated "Moderately" or more, found/needed: ${tally}).`,
  ];
  if (total >= 31 && total < PCL5_PROBABLE_PTSD_CUTOFF)
    out.push(
      `Total ${total} is just under the cut-point of ${PCL5_PROBABLE_PTSD_CUTOFF}; published ` +
        'cut-points range from 31 to 33, so consider a fuller PTSD assessment.',
    );
  return out;
}

export const PCL5: MeasureDefinition = {
  instrument: 'pcl5',
  name: 'PTSD Checklist for DSM-5 (PCL-5)',
  shortName: 'PCL-5',
  instructions:
    'Below is a list of problems that people sometimes have in response to a very stressful ' +
    'experience. Please read each problem carefully and then choose the answer that shows how much ' +
    'you have been bothered by that problem in the past month. In the past month, how much were ' +
    'you bothered by:',
  items: PCL5_ITEMS,
  bands: PCL5_BANDS,
  scale: { min: 0, max: 80, bands: PCL5_BANDS },
  source:
    'Weathers FW et al. 2013, National Center for PTSD (public domain); cut-point: Bovin MJ et al. ' +
    'Psychol Assess 2016;28:1379–1391.',
  score(answers) {
    assertAnswers('PCL-5', PCL5_ITEMS, answers);
    const total = sum(answers);
    const subscales: Subscale[] = PCL5_CLUSTERS.map((c) => ({
      key: c.key,
      label: c.label,
      items: c.items,
      score: sum(pick(answers, c.items)),
      max: c.items.length * 4,
    }));
    return {
      instrument: 'pcl5',
      total,
      band: bandForTotal(PCL5_BANDS, total),
      alerts: [],
      subscales,
      findings: findings(answers, total),
    };
  },
};
