import { expect, test } from '@playwright/test';
import { MeasuresPage } from './pages/measures-page';
import { THERAPIST, openChartAsTherapist } from './pages/notes-page';

test.describe.configure({ timeout: 300_000 });
test.use({ viewport: { width: 1280, height: 800 } });

const PHQ = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];
const phq = (values: number[]) => values.map((v) => PHQ[v]!);

test('measures as clinicians review them: item 9 highlighted, totals on the course, response and remission on the trend', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const measures = new MeasuresPage(page);
  const record = async (answers: string[], instrument?: string) => {
    await page.getByRole('button', { name: 'Record measure' }).click();
    if (instrument)
      await page.getByRole('radiogroup', { name: 'Instrument' }).getByText(instrument).click();
    await measures.answerAll(answers);
    await measures.signAndSave(THERAPIST.passphrase);
  };

  // Baseline PHQ-9: 20, with question 9 "More than half the days".
  await record(phq([3, 3, 3, 3, 2, 2, 2, 0, 2]));
  const course = page.getByRole('list', { name: 'Treatment course' });
  const first = course.getByRole('link', { name: 'Outcome measure: PHQ-9 20 · Severe' });
  await expect(first).toBeVisible();
  await first.click();

  // Read-only: every answer, question 9 highlighted, the total and band, nothing to change.
  await expect(
    page.getByRole('heading', { name: 'Patient Health Questionnaire (PHQ-9)' }),
  ).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(0);
  const answers = page.getByRole('table', { name: 'Answers' });
  await expect(answers.getByRole('row')).toHaveCount(10);
  const item9 = answers.getByRole('row', { name: 'Question 9, needs attention' });
  await expect(item9).toContainText('More than half the days (2)');
  await expect(item9).toContainText('assess suicide risk');
  await expect(page.getByRole('region', { name: 'Result' })).toContainText('Total 20 of 27');
  await expect(page.getByRole('region', { name: 'Result' })).toContainText('Baseline');
  await app.expectAccessible('PHQ-9 review');
  await page.screenshot({ path: '/tmp/i16-measure-review.png' });

  // A qualifying series: 12, then 4 (a drop of 80 %, below 5).
  await page
    .getByRole('region', { name: 'Patient' })
    .getByRole('link', { name: 'Okafor, Maya' })
    .click();
  await record(phq([2, 2, 2, 2, 1, 1, 1, 1, 0]));
  await record(phq([1, 1, 1, 1, 0, 0, 0, 0, 0]));
  const trend = measures.trend();
  const outcome = trend.getByRole('group', { name: 'Change since baseline' });
  await expect(outcome).toContainText(/Baseline 20 \(.+\) → 4: −16 points \(−80 %\)/);
  await expect(outcome.getByText('Response', { exact: true })).toBeVisible();
  await expect(outcome.getByText('Remission', { exact: true })).toBeVisible();
  await expect(trend).toContainText('Rush et al., Neuropsychopharmacology 2006');
  await expect(trend).toContainText('Kroenke & Spitzer, Psychiatr Ann 2002');
  await course.getByRole('link', { name: 'Outcome measure: PHQ-9 4 · None–minimal' }).click();
  await expect(page.getByRole('region', { name: 'Result' })).toContainText(
    /Since baseline \(20 on .+\): −16 points \(−80 %\)/,
  );
  await expect(
    page.getByRole('table', { name: 'Answers' }).getByRole('row', { name: /needs attention/ }),
  ).toHaveCount(0);

  // PCL-5 at 31: just under the cut-point, and the DSM-5 cluster pattern, shown on review.
  await page
    .getByRole('region', { name: 'Patient' })
    .getByRole('link', { name: 'Okafor, Maya' })
    .click();
  await record(
    [...Array(10).fill('Quite a bit'), 'A little bit', ...Array(9).fill('Not at all')],
    'PCL-5',
  );
  await course.getByRole('link', { name: /^Outcome measure: PCL-5 31 · / }).click();
  const findings = page.getByRole('region', { name: 'Findings' });
  await expect(findings).toContainText('Total 31 is just under the cut-point of 33');
  await expect(findings).toContainText('DSM-5 symptom pattern');
  await app.expectAccessible('PCL-5 review');
  await page.screenshot({ path: '/tmp/i16-pcl5-review.png' });

  await page
    .getByRole('region', { name: 'Patient' })
    .getByRole('link', { name: 'Okafor, Maya' })
    .click();
  await trend.scrollIntoViewIfNeeded();
  await app.expectAccessible('chart with outcomes');
  await trend.screenshot({ path: '/tmp/i16-trend-outcomes.png' });
});
