import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download } from '@playwright/test';

/**
 * A downloaded PDF, saved to a temporary folder: its text (pdftotext, poppler-utils), split into
 * pages, and its first pages rendered to /tmp/<name>-<n>.png for a person to look at.
 */
export async function readDownloadedPdf(
  download: Download,
  name: string,
  opts: { lastPage?: number; layout?: boolean } = {},
): Promise<{ file: string; text: string; pages: string[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'kat-pdf-')), `${name}.pdf`);
  await download.saveAs(file);
  const last = String(opts.lastPage ?? 1);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', last, file, `/tmp/${name}`]);
  const args = opts.layout === false ? [file, '-'] : ['-layout', file, '-'];
  const text = execFileSync('pdftotext', args, { encoding: 'utf8' });
  return { file, text, pages: text.split('\f').filter((p) => p.trim()) };
}
