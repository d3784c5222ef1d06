/// <reference types="vite/client" />
/**
 * The printed controlled-substance log counts its date range in the clinic's days (issue 15,
 * deliverable 7): the clinic's time zone from its settings, not the zone of the computer printing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { PDF_FONT_FILES } from '../../shared/print/fonts';
import { pickDosingSettings } from '../../shared/rules/dosing';
import { saveDosingSettings } from '../../renderer/db/clinic-settings-repository';
import { clinicWithPatient, lotOf } from '../../renderer/db/dose-repository.fixtures';
import { clinicSettings } from '../../renderer/db/eligibility-repository';
import { printControlledSubstanceLog } from '../../renderer/features/inventory/print-prescriber';

const saved: Uint8Array[] = [];
vi.mock('../../renderer/platform', () => ({
  platform: {
    savePdf: async ({ bytes }: { bytes: Uint8Array }) => {
      saved.push(bytes);
      return { ok: true, value: { outcome: 'saved', fileName: 'cs-log.pdf' } };
    },
  },
}));
vi.mock('../../renderer/features/inventory/pdf-fonts', () => ({
  loadPdfFonts: async () => ({
    regular: new Uint8Array(readFileSync(PDF_FONT_FILES.regular)),
    bold: new Uint8Array(readFileSync(PDF_FONT_FILES.bold)),
  }),
}));

describe('printing the controlled-substance log', () => {
  it("takes the range in the clinic's time zone, not the printing computer's", async () => {
    const { store } = await clinicWithPatient();
    await saveDosingSettings(store, {
      ...pickDosingSettings(await clinicSettings(store)),
      timeZone: 'Asia/Tokyo',
    });
    // Received 2026-11-19 15:00 UTC: midnight starting 20 Nov in Tokyo, still 19 Nov in UTC.
    await lotOf(store);
    await printControlledSubstanceLog(store, { from: '2026-11-20', to: '2026-11-20' }, 'save', {
      to: 'agency',
      name: 'DEA Diversion Investigator',
      purpose: 'oversight',
      note: '',
    });
    const text = execFileSync('pdftotext', ['-', '-'], { input: saved.at(-1) }).toString();
    expect(text).toContain('Midwest Medical Supply'); // the receipt is on the clinic's 20 Nov
    expect(text).toMatch(/Nov 20, 2026,\s+12:00 AM GMT\+9/); // printed in the clinic's zone
  });
});
