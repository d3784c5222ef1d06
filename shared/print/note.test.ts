// Read back with poppler's pdftotext, as a printer or a search would see the page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PDF_FONT_FILES } from './fonts';
import { buildNotePdf } from './note';

const ROOT = join(import.meta.dirname, '..', '..');
const fonts = {
  regular: readFileSync(join(ROOT, PDF_FONT_FILES.regular)),
  bold: readFileSync(join(ROOT, PDF_FONT_FILES.bold)),
};
const dir = mkdtempSync(join(tmpdir(), 'kat-note-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const text = (bytes: Uint8Array) => {
  const file = join(dir, `${++n}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

const HASH = `sha256:${'ab'.repeat(32)}`;
const note = {
  title: 'Integration session',
  sections: { themes: 'Grief; reconnecting with brother' },
  timeline: [],
  status: 'signed' as const,
  createdAt: '2026-12-07T17:00:00Z',
  signature: {
    by: 'ari',
    byName: 'Ari Novak, LMSW',
    at: '2026-12-07T18:00:00Z',
    contentHash: HASH,
  },
};
const base = {
  clinic: { clinicName: 'Aspen Ridge Wellness' },
  patient: { firstName: 'Maya', lastName: 'Okafor', dateOfBirth: '1987-04-12' },
  note,
  sections: [{ key: 'themes', label: 'Themes' }],
  addenda: [],
  names: { lee: 'Lee Park, LCSW' },
  fonts,
  generatedAt: '2026-12-08T16:30:00Z',
  timeZone: 'America/Denver',
};
const step = (decision: string, at: string, comment = '') =>
  ({
    decision,
    comment,
    createdAt: at,
    createdBy: 'lee',
    supervisorId: 'lee',
    noteId: 'n',
    status: 'signed',
    signature: { byName: 'Lee Park, LCSW', at },
  }) as never;

describe('note PDF', () => {
  it('prints the note as signed with both signatures once co-signed', async () => {
    const t = text(
      await buildNotePdf({
        ...base,
        coSignature: {
          state: 'co-signed',
          supervisorId: 'lee',
          request: step('requested', '2026-12-07T18:00:00Z'),
          answer: step('co-signed', '2026-12-08T15:00:00Z'),
        },
      }),
    );
    expect(t).toContain('Grief; reconnecting with brother');
    expect(t).toContain('Electronically signed by Ari Novak, LMSW');
    expect(t).toContain('Co-signed by Lee Park, LCSW (supervisor)');
    expect(t).toContain('Okafor, Maya');
  });

  it('says a co-signature is still owed, or the note was returned and why', async () => {
    const requested = text(
      await buildNotePdf({
        ...base,
        coSignature: {
          state: 'requested',
          supervisorId: 'lee',
          request: step('requested', '2026-12-07T18:00:00Z'),
        },
      }),
    );
    expect(requested).toContain('Co-signature requested from Lee Park, LCSW');
    expect(requested).not.toContain('Co-signed by');
    const returned = text(
      await buildNotePdf({
        ...base,
        coSignature: {
          state: 'returned',
          supervisorId: 'lee',
          request: step('requested', '2026-12-07T18:00:00Z'),
          answer: step('returned', '2026-12-08T15:00:00Z', 'Record the C-SSRS result'),
        },
      }),
    );
    expect(returned).toContain('Returned by Lee Park, LCSW');
    expect(returned).toContain('Record the C-SSRS result');
  });
});
