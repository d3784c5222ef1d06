import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PDF_FONT_FILES } from './fonts';
import { buildRecoverySheetPdf, recoveryKeyGroups } from './recovery-sheet';

const ROOT = join(import.meta.dirname, '..', '..');
const fonts = {
  regular: readFileSync(join(ROOT, PDF_FONT_FILES.regular)),
  bold: readFileSync(join(ROOT, PDF_FONT_FILES.bold)),
};
const dir = mkdtempSync(join(tmpdir(), 'kat-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Shaped like the keys the app prints (shared/crypto/keyring-recovery.ts), with look-alike characters.
const KEY = 'K7QM-0O1l-X9PD-4TRS-HW2Z-88BN-C3VF-JYE6';

describe('recovery key groups', () => {
  it('keeps the groups as written, or makes groups of four', () => {
    expect(recoveryKeyGroups(KEY)).toHaveLength(8);
    expect(recoveryKeyGroups(' ab12 cd34 ')).toEqual(['ab12', 'cd34']);
    expect(recoveryKeyGroups('ABCDEFGHIJ')).toEqual(['ABCD', 'EFGH', 'IJ']);
  });
});

describe('recovery sheet PDF', () => {
  it('is one page with the whole key in order, instructions and a place to record storage', async () => {
    const bytes = await buildRecoverySheetPdf({
      clinicName: 'Aspen Ridge Wellness',
      recoveryKey: KEY,
      createdAt: '2026-03-04T22:00:00Z',
      fonts,
      timeZone: 'America/Denver',
    });
    const file = join(dir, 'sheet.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
    expect(text.split('\f').filter((p) => p.trim())).toHaveLength(1);
    expect(text).toContain('Page 1 of 1');

    // Key cells, read in order, without the small look-alike hints under some of them.
    const HINTS = new Set(['zero', 'oh', 'one', 'small', 'ell', 'eye', 'five', 'ess', 'two']);
    ['zed', 'eight', 'bee'].forEach((h) => HINTS.add(h));
    const cells = text
      .slice(text.indexOf('read every chart.') + 17, text.indexOf('characters in'))
      .split(/\s+/)
      .filter((w) => w && !HINTS.has(w));
    // The last word is the character count that follows the key.
    expect(cells.slice(0, -1).join('')).toBe(KEY.replace(/-/g, ''));
    for (const hint of ['zero', 'oh', 'one', 'small ell']) expect(text).toContain(hint);

    expect(text).toContain('Never photograph');
    expect(text).toContain('locked safe');
    expect(text).toContain('Date stored');
    expect(text).toContain('Where it is kept');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).not.toContain('K7QM');
  });

  it('refuses to print an empty key', async () => {
    await expect(
      buildRecoverySheetPdf({ clinicName: 'X', recoveryKey: '  ', createdAt: new Date(), fonts }),
    ).rejects.toThrow('no recovery key');
  });
});
