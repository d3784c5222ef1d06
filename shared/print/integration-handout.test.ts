// Read back with poppler's pdftotext, as a printer or a search would see the page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PDF_FONT_FILES } from './fonts';
import { buildIntegrationHandoutPdf } from './integration-handout';

const ROOT = join(import.meta.dirname, '..', '..');
const fonts = {
  regular: readFileSync(join(ROOT, PDF_FONT_FILES.regular)),
  bold: readFileSync(join(ROOT, PDF_FONT_FILES.bold)),
};
const dir = mkdtempSync(join(tmpdir(), 'kat-handout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const text = (bytes: Uint8Array) => {
  const file = join(dir, `${++n}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

const base = {
  clinic: { clinicName: 'Aspen Ridge Wellness', clinicPhone: '(303) 555-0100' },
  patient: { firstName: 'Zoë', lastName: 'Müller', dateOfBirth: '1984-03-07' },
  sessionDate: '2026-03-04T17:00:00Z',
  fonts,
  generatedAt: '2026-03-05T16:30:00Z',
  timeZone: 'America/Denver',
};
const summary = {
  insights: 'Felt a sense of forgiveness toward my younger self.',
  themes: ['Self-compassion', 'Grief for my father'],
  emotions: 'Sadness, then relief.',
  bodySensations: 'Warmth in the chest.',
  goals: 'Call my sister this week.',
  practices: ['breathwork', 'journaling'] as ('breathwork' | 'journaling')[],
  nextSteps: 'Journal each morning about what came up.',
  nextAppointment: '2026-03-11T17:00:00Z',
};

describe('integration handout', () => {
  it('prints the clinic, the patient, the session date and every patient-facing section', async () => {
    const page = text(await buildIntegrationHandoutPdf({ ...base, summary }));
    for (const expected of [
      'Aspen Ridge Wellness',
      'Zoë Müller',
      'Mar 4, 2026',
      'Your integration summary',
      'forgiveness toward my younger self',
      'Self-compassion',
      'Warmth in the chest',
      'Breathwork',
      'Journaling',
      'Journal each morning',
      'Mar 11, 2026, 11:00 AM MDT',
      '988',
      '(303) 555-0100',
    ])
      expect(page).toContain(expected);
  });

  it('never prints clinician-only notes, even when handed a full record', async () => {
    const record = { ...summary, clinicianNotes: 'Consider reducing dose; guarded affect.' };
    const page = text(await buildIntegrationHandoutPdf({ ...base, summary: record }));
    expect(page).not.toContain('guarded affect');
    expect(page).not.toContain('reducing dose');
  });

  it('leaves out sections that were not filled in', async () => {
    const page = text(
      await buildIntegrationHandoutPdf({
        ...base,
        summary: { ...summary, bodySensations: '', practices: [], nextAppointment: undefined },
      }),
    );
    expect(page).not.toContain('In your body');
    expect(page).not.toContain('Practices to keep up');
    expect(page).not.toContain('Your next appointment');
    expect(page).toContain('Feelings');
  });
});
