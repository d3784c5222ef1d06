// PDFs are checked the honest way: poppler's pdftotext reads back what a printer or a search would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConsentPackets, defaultConsentTemplates } from '../consent-defaults';
import type { ConsentTemplateBody, SignedConsentBody } from '../model/consent';
import { newTemplateVersion } from '../rules/consent';
import { formsNeededForDay, type ConsentPacketDefinition } from '../rules/packets';
import { effectivePackets } from '../rules/consent-packets';
import { buildBatchPacketPdf } from './batch-packet';
import { buildBlankPacketPdf, buildConsentPacketPdf } from './consent-packet';
import { PDF_FONT_FILES } from './fonts';
import { FIXTURE_CLINIC, FIXTURE_PATIENT, signedIvPacketFixture } from './test-support';

const ROOT = join(import.meta.dirname, '..', '..');
const fonts = {
  regular: readFileSync(join(ROOT, PDF_FONT_FILES.regular)),
  bold: readFileSync(join(ROOT, PDF_FONT_FILES.bold)),
};
const dir = mkdtempSync(join(tmpdir(), 'kat-print-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const save = (bytes: Uint8Array) => {
  const file = join(dir, `${++fileNo}.pdf`);
  writeFileSync(file, bytes);
  return file;
};
/** Text of each page, as pdftotext reads it (form feed between pages). */
const pages = (bytes: Uint8Array) =>
  execFileSync('pdftotext', ['-layout', save(bytes), '-'], { encoding: 'utf8' })
    .split('\f')
    .slice(0, -1);
const flat = (s: string) => s.replace(/\s+/g, ' ');

const clinic = FIXTURE_CLINIC;
const patient = FIXTURE_PATIENT;
const templates = defaultConsentTemplates();
let ivPacket: ConsentPacketDefinition;
let ivTemplates: ConsentTemplateBody[];
let consents: SignedConsentBody[];
let signed: Uint8Array;

beforeAll(async () => {
  ({ packet: ivPacket, templates: ivTemplates, consents } = await signedIvPacketFixture());
  signed = await buildConsentPacketPdf({
    clinic,
    patient,
    consents,
    fonts,
    generatedAt: '2026-03-04T22:00:00Z',
    timeZone: 'America/Denver',
    packetName: ivPacket.name,
    programNames: { 'in-office-iv': 'In-office IV ketamine' },
    signingRecord: [
      { at: '2026-03-04T20:58:00Z', who: 'Maria Lopez', action: 'Reviewed packet with patient' },
    ],
  });
});

describe('signed consent packet PDF', () => {
  it('shows the patient name, date of birth and chart number on every page', () => {
    const text = pages(signed);
    expect(text.length).toBeGreaterThanOrEqual(ivTemplates.length + 1);
    for (const page of text) {
      expect(page).toContain('Müller-Łukasiewicz, Zoë');
      expect(page).toContain('DOB Mar 7, 1984');
      expect(page).toContain('Chart KC-10442');
      expect(page).toContain('Aspen Ridge Wellness');
    }
  });

  it('numbers every page "Page N of M"', () => {
    const text = pages(signed);
    text.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${text.length}`));
  });

  it('prints each form as signed, as real text, starting on its own page', () => {
    const text = pages(signed);
    for (const c of consents) {
      const first = text.findIndex((p) => flat(p).includes(c.title));
      expect(first, c.title).toBeGreaterThanOrEqual(0);
      expect(flat(text.slice(first).join(' '))).toContain(
        flat(c.renderedText.split('\n').at(-1)!.replace(/^# /, '')),
      );
    }
    expect(flat(text.join(' '))).toContain('I, Zoë Müller-Łukasiewicz, have read this form');
  });

  it('embeds one image per signature, with name, role and time under it', () => {
    const list = execFileSync('pdfimages', ['-list', save(signed)], { encoding: 'utf8' });
    const images = list.split('\n').filter((l) => /^\s+\d+\s+\d+\s+image/.test(l));
    expect(images).toHaveLength(consents.reduce((n, c) => n + c.signatures.length, 0));
    const firstForm = pages(signed).find((p) => p.includes('Sam Okafor'))!;
    expect(firstForm).toMatch(/Sam Okafor[\s\S]*Witness[\s\S]*Mar 4, 2026, 2:00 PM MST/);
  });

  it("prints the escort's name and phone and each section's initials in place", () => {
    const text = flat(pages(signed).join(' '));
    const form = text.slice(text.indexOf('Transport and escort agreement Version 2'));
    const at = (s: string) => form.indexOf(s);
    expect(at("Escort's full name Jonas Lindqvist")).toBeGreaterThan(at('You need an escort'));
    expect(at("Escort's phone number 303-555-0188")).toBeGreaterThan(at('Jonas Lindqvist'));
    expect(at('Your initials: I will have an adult escort ZML')).toBeLessThan(
      at('No driving until the next day'),
    );
    expect(at('Your initials: no driving until the next day ZML')).toBeLessThan(
      at('The rest of the day'),
    );
    expect(at('Your initials: rest for the day ZML')).toBeLessThan(at('Agreement'));
  });

  it('ends with a signing record: who signed what, when, on which device, version and hash', () => {
    const text = pages(signed);
    const start = text.findIndex((p) => p.includes('Signing record'));
    expect(start).toBeGreaterThan(0);
    const record = flat(text.slice(start).join(' '));
    for (const c of consents) {
      expect(record).toContain(c.title);
      expect(record).toContain(`${c.title}, version ${c.templateVersion}`);
      expect(record).toContain(c.contentHash);
    }
    expect(record).toContain('Sam Okafor — Practice manager (witness), Mar 4, 2026, 2:00 PM MST');
    expect(record).toContain('Dr. Priya Raman — Prescriber (clinician)');
    expect(record).toContain('Program In-office IV ketamine');
    expect(record).toContain('front-desk-ipad-2');
    expect(record).toContain('Reviewed packet with patient');
  });

  it('reprints exactly what was signed after the template is edited', async () => {
    const v2 = newTemplateVersion(ivTemplates[0]!, {
      body: 'A rewritten form for {{patientName}}.',
    });
    const reprint = await buildConsentPacketPdf({
      clinic,
      patient,
      consents,
      fonts,
      generatedAt: '2026-03-05T22:00:00Z',
    });
    const text = flat(pages(reprint).join(' '));
    expect(v2.version).toBe(2);
    expect(text).toContain('Informed consent for ketamine-assisted therapy Version 1 · signed');
    expect(text).toContain(flat(consents[0]!.renderedText.split('\n')[0]!));
    expect(text).not.toContain('A rewritten form');
  });

  it('gives the same bytes for the same data, and no patient name in the metadata', async () => {
    const again = await buildConsentPacketPdf({
      clinic,
      patient,
      consents,
      fonts,
      generatedAt: '2026-03-04T22:00:00Z',
      timeZone: 'America/Denver',
      packetName: ivPacket.name,
      programNames: { 'in-office-iv': 'In-office IV ketamine' },
      signingRecord: [
        { at: '2026-03-04T20:58:00Z', who: 'Maria Lopez', action: 'Reviewed packet with patient' },
      ],
    });
    expect(Buffer.from(again).equals(Buffer.from(signed))).toBe(true);
    const info = execFileSync('pdfinfo', [save(signed)], { encoding: 'utf8' });
    expect(info).toContain('Title:           Signed consent packet');
    expect(info).not.toContain('Müller');
  });

  it('renders without errors in poppler', () => {
    const out = join(dir, 'page');
    const result = execFileSync(
      'pdftoppm',
      ['-r', '40', '-png', '-f', '1', '-l', '2', save(signed), out],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(result).toBe('');
    // pdftoppm pads page numbers to the width of the page count ("page-01.png" from 10 pages).
    const first = readdirSync(dir).find((f) => /^page-0*1\.png$/.test(f))!;
    expect(readFileSync(join(dir, first)).length).toBeGreaterThan(1000);
  });
});

describe('blank packet PDF for wet signature', () => {
  it('fills in the patient, leaves signature lines for each signer and embeds no images', async () => {
    const blank = await buildBlankPacketPdf({
      clinic,
      patient,
      templates: ivTemplates,
      fonts,
      generatedAt: '2026-03-04T22:00:00Z',
    });
    const text = pages(blank);
    text.forEach((page, i) => {
      expect(page).toContain('DOB Mar 7, 1984');
      expect(page).toContain(`Page ${i + 1} of ${text.length}`);
    });
    const all = text.join('\n');
    const lines = (who: string) => all.split(`Signature of ${who}`).length - 1;
    const needed = (role: string) =>
      ivTemplates.filter((t) => t.signers.includes(role as never)).length;
    expect(lines('patient')).toBe(needed('patient'));
    expect(lines('witness')).toBe(needed('witness'));
    expect(lines('clinician')).toBe(needed('clinician'));
    expect(flat(all)).toContain('I, Zoë Müller-Łukasiewicz, have read this form');
    const list = execFileSync('pdfimages', ['-list', save(blank)], { encoding: 'utf8' });
    expect(list.split('\n').filter((l) => /\bimage\b/.test(l))).toHaveLength(0);
  });

  it('names a missing clinic detail instead of printing a gap', async () => {
    await expect(
      buildBlankPacketPdf({
        clinic: { ...clinic, clinicPhone: '' },
        patient,
        templates: ivTemplates,
        fonts,
        generatedAt: '2026-03-04T22:00:00Z',
      }),
    ).rejects.toThrow('the clinic phone number in Clinic settings');
  });
});

describe('batch packets for a day', () => {
  it('lists who needs what, then numbers each patient packet within that patient', async () => {
    const patients = [
      { id: 'p1', firstName: 'Ana', lastName: 'Silva', dateOfBirth: '1979-11-02' },
      { id: 'p2', firstName: 'Chen', lastName: 'Wei', dateOfBirth: '1985-01-30' },
      { id: 'p3', firstName: 'Ben', lastName: 'Okafor', dateOfBirth: '1990-05-17' },
    ];
    const appointment = (id: string, patientId: string, start: string, program: string) => ({
      id,
      patientId,
      start,
      program,
      visitKind: 'dosing' as const,
      cancelled: false,
    });
    const done = ['telehealth-consent', 'npp-acknowledgement', 'financial-policy'].map((k, i) => ({
      id: `c${i}`,
      patientId: 'p2',
      templateKey: k,
      templateVersion: 1,
      signedAt: '2026-01-10T18:00:00Z',
    }));
    const packets = effectivePackets([], templates, defaultConsentPackets());
    const needs = formsNeededForDay({
      appointments: [
        appointment('a1', 'p3', '2026-03-05T17:00:00Z', 'esketamine'),
        appointment('a2', 'p2', '2026-03-05T16:00:00Z', 'telehealth-integration'),
        appointment('a3', 'p1', '2026-03-05T15:00:00Z', 'in-office-iv'),
      ],
      patients,
      templates,
      consents: done,
      packets,
      now: '2026-03-04T22:00:00Z',
    });
    const text = pages(
      await buildBatchPacketPdf({
        clinic,
        day: '2026-03-05',
        needs,
        packets,
        fonts,
        generatedAt: '2026-03-04T22:00:00Z',
        timeZone: 'America/Denver',
      }),
    );
    const cover = flat(text[0]!);
    expect(cover).toContain('Who needs what on Mar 5, 2026');
    expect(cover.indexOf('Silva, Ana')).toBeLessThan(cover.indexOf('Wei, Chen'));
    expect(cover.indexOf('Wei, Chen')).toBeLessThan(cover.indexOf('Okafor, Ben'));
    expect(cover).toMatch(/Wei, Chen.*All forms current/);
    expect(cover).toContain('Esketamine nasal spray');

    const of = (name: string) =>
      text.filter((p) => p.includes(name) && !p.includes('Who needs what'));
    expect(of('Wei, Chen')).toHaveLength(0);
    for (const name of ['Silva, Ana', 'Okafor, Ben']) {
      const own = of(name);
      expect(own.length).toBeGreaterThan(1);
      own.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${own.length}`));
    }
    expect(of('Okafor, Ben').join(' ')).toContain('Esketamine nasal spray (Spravato)');
  });
});
