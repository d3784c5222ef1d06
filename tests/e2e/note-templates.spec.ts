import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { MeasuresPage } from './pages/measures-page';
import { NoteTemplatesPage } from './pages/note-templates-page';
import { NotesPage, THERAPIST, openChartAsTherapist, signInAgain } from './pages/notes-page';

// Each test makes its own clinic (Argon2id key derivation, several sign-ins).
test.describe.configure({ timeout: 240_000 });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a therapist duplicates and edits a template in Settings, then writes a note from it', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const templates = new NoteTemplatesPage(page);
  await templates.open();
  await expect(templates.row('SOAP note')).toContainText('Bundled');
  await expect(templates.table().getByRole('row')).toHaveCount(7); // header + six bundled
  await app.expectAccessible('note templates');

  await templates.row('SOAP note').getByRole('button', { name: 'Duplicate SOAP note' }).click();
  const editor = templates.editor();
  await expect(editor.getByLabel('Template name')).toHaveValue('Copy of SOAP note');
  await editor.getByLabel('Template name').fill('Ketamine follow-up');
  await templates.heading(1).fill('Since the last session');
  await templates.hint(1).fill('What the patient reports about the days since dosing.');
  await editor.getByRole('button', { name: 'Remove section 2' }).click(); // Objective
  await editor.getByRole('button', { name: 'Add section' }).click();
  await templates.heading(4).fill('Safety check');
  await templates.hint(4).fill('Suicidal thoughts, the ride home, support tonight.');
  await editor.getByRole('button', { name: 'Move section 4 up' }).click();
  await expect(templates.sections()).toHaveCount(4);
  await expect(templates.heading(3)).toHaveValue('Safety check');
  await expect(templates.heading(4)).toHaveValue('Plan');

  // an empty heading is refused with a message, and nothing is saved
  await templates.heading(2).fill('');
  await editor.getByRole('button', { name: 'Save template' }).click();
  await expect(editor.getByRole('alert')).toContainText(
    'Section 2 has no label (the heading shown above its text).',
  );
  await templates.heading(2).fill('Assessment');
  await app.expectAccessible('note template editor');
  await page.screenshot({ path: '/tmp/note-templates-editor.png', fullPage: true });
  await editor.getByRole('button', { name: 'Save template' }).click();

  const own = templates.row('Ketamine follow-up');
  await expect(own).toContainText('Clinic');
  await expect(own).toContainText('Since the last session · Assessment · Safety check · Plan');
  await expect(templates.row('SOAP note')).toContainText('Subjective · Objective'); // untouched
  await page.screenshot({ path: '/tmp/note-templates-list.png', fullPage: true });

  // saved as a file another clinic can import: the template's fields only
  const download = page.waitForEvent('download');
  await own.getByRole('button', { name: 'Save as file: Ketamine follow-up' }).click();
  const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
  expect(file).toEqual({
    templateKey: 'soap-copy',
    name: 'Ketamine follow-up',
    format: 'soap',
    sections: [
      expect.objectContaining({ label: 'Since the last session' }),
      expect.objectContaining({ label: 'Assessment' }),
      {
        key: 'safety-check',
        label: 'Safety check',
        hint: 'Suicidal thoughts, the ride home, support tonight.',
      },
      expect.objectContaining({ label: 'Plan' }),
    ],
    liveCharting: false,
    quickTags: [],
  });

  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  const notes = new NotesPage(page);
  await notes.start('Ketamine follow-up', 'Integration session');
  await expect(
    page.getByText('What the patient reports about the days since dosing.'),
  ).toBeVisible();
  await page.getByLabel('Safety check').fill('No suicidal thoughts; partner at home tonight.');
  await expect(notes.saveState()).toHaveText('Saved');
  await expect(page.getByLabel('Objective')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/note-from-clinic-template.png', fullPage: true });

  // retiring stops offering it for new notes; the note written from it keeps its layout
  await templates.open();
  await templates
    .row('Ketamine follow-up')
    .getByRole('button', { name: 'Retire Ketamine follow-up' })
    .click();
  await expect(templates.row('Ketamine follow-up')).toContainText('Retired');
  await page.goBack(); // back to the note, written from a template now retired
  await expect(page.getByLabel('Safety check')).toHaveValue(
    'No suicidal thoughts; partner at home tonight.',
  );
  await page.getByRole('link', { name: /Okafor, Maya/ }).click();
  await page.getByRole('button', { name: 'New note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await expect(dialog.getByRole('radio', { name: 'SOAP note' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Ketamine follow-up' })).toHaveCount(0);
});

test('a template file is imported; a bad file is refused with the reasons and adds nothing', async ({
  page,
}) => {
  const app = await openChartAsTherapist(page);
  const templates = new NoteTemplatesPage(page);
  await templates.open();

  await templates.importFile(
    'broken.json',
    JSON.stringify({ templateKey: 'My Note', sections: [] }),
  );
  const refusal = page.getByRole('alert').filter({ hasText: 'broken.json was not imported' });
  await expect(refusal).toContainText('may use only lowercase letters');
  await expect(refusal).toContainText('The template has no name.');
  await expect(refusal).toContainText('Nothing was added.');
  await expect(templates.table().getByRole('row')).toHaveCount(7);
  await app.expectAccessible('note templates with an import refused');
  await page.screenshot({ path: '/tmp/note-templates-import-refused.png', fullPage: true });

  await templates.importFile('not-json.json', '{ "name": "Half a file",');
  await expect(
    page.getByRole('alert').filter({ hasText: 'not-json.json was not imported' }),
  ).toContainText('This is not valid JSON text');
  await expect(templates.table().getByRole('row')).toHaveCount(7);

  const psychedelic = {
    templateKey: 'psychedelic-integration',
    name: 'Psychedelic integration (clinic)',
    format: 'custom',
    sections: [
      { key: 'experience', label: 'Experience', hint: 'What stood out, in the patient’s words.' },
      { key: 'meaning', label: 'Meaning', hint: 'What it means for their life now.' },
    ],
  };
  await templates.importFile('psychedelic.json', JSON.stringify(psychedelic));
  await expect(page.getByRole('status').filter({ hasText: 'was imported' })).toBeVisible();
  await expect(templates.row('Psychedelic integration (clinic)')).toContainText('Clinic');
  await expect(templates.table().getByRole('row')).toHaveCount(8);

  // the same key again is refused: two templates never share a key
  await templates.importFile('psychedelic-again.json', JSON.stringify(psychedelic));
  await expect(
    page.getByRole('alert').filter({ hasText: 'psychedelic-again.json was not imported' }),
  ).toContainText('already exists');
  await expect(templates.table().getByRole('row')).toHaveCount(8);

  await app.nav('Patients').click();
  await page.getByRole('button', { name: 'Open chart: Okafor, Maya' }).click();
  await new NotesPage(page).start('Psychedelic integration (clinic)', 'Integration session');
  await expect(page.getByLabel('Meaning')).toBeVisible();
});

test('measure answers and summary text in progress survive a reload; a second window on the summary shows what the other saved', async ({
  page,
}) => {
  await openChartAsTherapist(page);
  const measures = new MeasuresPage(page);
  await page.getByRole('button', { name: 'Record measure' }).click();
  await page
    .getByRole('radiogroup', { name: 'Instrument' })
    .getByText('GAD-7', { exact: true })
    .click();
  await measures.answerAll(['Several days', 'Not at all', 'Nearly every day', 'Several days']);
  await expect(measures.score()).toContainText('Answered 4 of 7');
  // A look at another questionnaire loses none of these answers, nor that one's.
  const instruments = page.getByRole('radiogroup', { name: 'Instrument' });
  await instruments.getByText('PHQ-9', { exact: true }).click();
  await expect(measures.score()).toContainText('Answered 0 of 9');
  await measures.answerAll(['More than half the days']);
  await instruments.getByText('GAD-7', { exact: true }).click();
  await expect(measures.score()).toContainText('Answered 4 of 7');
  await page.waitForTimeout(400); // past the 300 ms autosave pause
  await page.getByRole('link', { name: /Okafor, Maya/ }).click();

  await page.getByRole('button', { name: 'Integration summary' }).click();
  const insights = page.getByLabel('Insights');
  await insights.click();
  const text = 'Felt held by the music; saw her father as frightened, not cruel.';
  const typedAt: number[] = [];
  for (const ch of text) {
    await page.keyboard.type(ch);
    typedAt.push(Date.now());
    await page.waitForTimeout(25);
  }
  const reloadAt = Date.now();
  await page.reload();
  const mustKeep = text.slice(0, typedAt.filter((t) => reloadAt - t >= 300).length);
  expect(mustKeep.length).toBeGreaterThan(40);
  await signInAgain(page);
  await expect(insights).toHaveValue(new RegExp(`^${escape(mustKeep)}`));
  await expect(page.getByRole('status', { name: /^Summary:/ })).toHaveText('Saved');

  // a second window on the same summary: each shows at once what the other saved, so nothing
  // is overwritten unseen (issue 14 point 7; unsaved typing meanwhile stops and asks instead,
  // renderer/app/use-autosave.test.tsx)
  const other = await page.context().newPage();
  await other.goto(page.url());
  await signInAgain(other);
  await expect(other.getByLabel('Insights')).toHaveValue(new RegExp(`^${escape(mustKeep)}`));
  await other.getByLabel('Goals').fill('Walk daily.');
  await expect(other.getByRole('status', { name: /^Summary:/ })).toHaveText('Saved');
  await expect(page.getByLabel('Goals')).toHaveValue('Walk daily.');
  await page.getByLabel('Goals').fill('Walk daily. Call her sister.');
  await expect(page.getByRole('status', { name: /^Summary:/ })).toHaveText('Saved');
  await expect(other.getByLabel('Goals')).toHaveValue('Walk daily. Call her sister.');
  await other.close();

  await page.getByRole('link', { name: /Okafor, Maya/ }).click();
  await page.getByRole('button', { name: 'Record measure' }).click();
  await expect(page.getByText('Answers restored')).toBeVisible();
  await expect(measures.score()).toContainText('Answered 4 of 7');
  await expect(measures.question(3).getByRole('radio', { name: 'Nearly every day' })).toBeChecked();
  // Signing the GAD-7 keeps the PHQ-9 begun beside it for next time.
  await measures.answerAll([
    'Several days',
    'Not at all',
    'Nearly every day',
    'Several days',
    'Not at all',
    'Not at all',
    'Several days',
  ]);
  await measures.signAndSave(THERAPIST.passphrase);
  await page.getByRole('button', { name: 'Record measure' }).click();
  await expect(page.getByText('Answers restored')).toBeVisible();
  await expect(measures.score()).toContainText('Answered 1 of 9');
  await expect(
    measures.question(1).getByRole('radio', { name: 'More than half the days' }),
  ).toBeChecked();
  await page.screenshot({ path: '/tmp/measure-restored.png', fullPage: false });
});
