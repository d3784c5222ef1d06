import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DisclosureLine } from '../rules/disclosures';
import { buildDisclosureAccountingPdf } from './disclosures';
import { PDF_FONT_FILES } from './fonts';

const ROOT = join(import.meta.dirname, '..', '..');
const fonts = {
  regular: readFileSync(join(ROOT, PDF_FONT_FILES.regular)),
  bold: readFileSync(join(ROOT, PDF_FONT_FILES.bold)),
};
const dir = mkdtempSync(join(tmpdir(), 'kat-disclosures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (over: Partial<DisclosureLine>): DisclosureLine => ({
  id: 'e1',
  at: '2026-12-01T17:30:00Z',
  what: 'Signed consent packet',
  by: 'Jordan Lee',
  action: 'print',
  to: 'legal',
  name: 'County Court, case 24-117',
  purpose: 'law',
  note: 'subpoena',
  ...over,
});

describe('accounting of disclosures PDF', () => {
  it('lists each disclosure with date, recipient, what and purpose, and the exempt ones apart', async () => {
    const bytes = await buildDisclosureAccountingPdf({
      letterhead: { clinicName: 'Aspen Ridge Wellness' },
      patient: {
        firstName: 'Maya',
        lastName: 'Okafor',
        dateOfBirth: '1987-04-12',
        chartNumber: 'C-0042',
      },
      period: '2020-12-07 to 2026-12-07',
      owed: [line({})],
      exempt: [line({ id: 'e2', to: 'patient', name: '', purpose: 'authorized', note: '' })],
      unrecorded: 2,
      generatedAt: '2026-12-07T12:00:00Z',
      generatedBy: 'Ari Admin',
      timeZone: 'America/Denver',
      fonts,
    });
    const file = join(dir, 'accounting.pdf');
    if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, bytes);
    writeFileSync(file, bytes);
    // Table cells wrap: read the page as one line of words.
    const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    expect(text).toContain('Okafor');
    expect(text).toContain('County Court, case 24-117');
    expect(text).toContain('Required by law (subpoena, court order): subpoena');
    expect(text).toContain('To the patient (164.528(a)(1)(ii))');
    expect(text).toContain('2 prints or exports');
    expect(text).toMatch(/Dec 1, 2026/);
  });
});
