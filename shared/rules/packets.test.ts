import { describe, expect, it } from 'vitest';
import type { TemplateLike } from './consent';
import { packetTemplates, type PacketLike } from './consent-packets';
import { formsNeededForDay } from './packets';

const t = (key: string, validity: TemplateLike['validity'], programs: string[]): TemplateLike => ({
  templateKey: key,
  version: 1,
  title: key,
  validity,
  programs,
});
const TEMPLATES = [
  t('informed', '12-months', ['iv', 'home']),
  t('transport', '6-months', ['iv']),
  t('npp', 'never-expires', ['iv', 'home', 'tele']),
  t('home-agreement', 'per-program', ['home']),
  t('telehealth', '12-months', ['home', 'tele']),
];
const packet = (program: string, keys: string[]): PacketLike => ({
  program,
  name: program,
  forms: keys.map((templateKey) => ({ templateKey, required: true })),
});
const PACKETS: PacketLike[] = [
  packet('iv', ['informed', 'transport', 'npp']),
  packet('home', ['informed', 'home-agreement', 'telehealth', 'npp']),
  packet('tele', ['npp', 'telehealth']),
];

const patient = (id: string, firstName: string, lastName: string) => ({
  id,
  firstName,
  lastName,
  dateOfBirth: '1980-01-01',
});
const PATIENTS = [
  patient('p1', 'Ana', 'Silva'),
  patient('p2', 'Ben', 'Okafor'),
  patient('p3', 'Cy', 'Ng'),
];

let n = 0;
const appt = (patientId: string, start: string, program?: string, cancelled = false) => ({
  id: `a${++n}`,
  patientId,
  start,
  program,
  visitKind: 'dosing' as const,
  cancelled,
});
const signed = (patientId: string, templateKey: string, signedAt: string, extra = {}) => ({
  id: `c${++n}`,
  patientId,
  templateKey,
  templateVersion: 1,
  signedAt,
  ...extra,
});

const NOW = '2026-03-04T17:00:00.000Z'; // printing the afternoon before
const DAY = '2026-03-05';

const needs = (appointments: ReturnType<typeof appt>[], consents: ReturnType<typeof signed>[]) =>
  formsNeededForDay({
    appointments,
    patients: PATIENTS,
    templates: TEMPLATES,
    consents,
    packets: PACKETS,
    now: NOW,
  });
const keys = (row: { forms: { template: TemplateLike }[] }) =>
  row.forms.map((f) => f.template.templateKey);

describe("forms needed for a day's schedule", () => {
  it('lists patients by first appointment time, with the forms each still needs in packet order', () => {
    const rows = needs(
      [appt('p2', `${DAY}T16:00:00Z`, 'iv'), appt('p1', `${DAY}T14:00:00Z`, 'iv')],
      [
        signed('p1', 'npp', '2025-01-01T00:00:00Z'),
        signed('p2', 'informed', '2026-01-01T00:00:00Z'),
        signed('p2', 'transport', '2026-01-01T00:00:00Z'),
        signed('p2', 'npp', '2026-01-01T00:00:00Z'),
      ],
    );
    expect(rows.map((r) => r.displayName)).toEqual(['Silva, Ana', 'Okafor, Ben']);
    expect(keys(rows[0]!)).toEqual(['informed', 'transport']);
    expect(rows[0]!.forms.map((f) => f.reason)).toEqual(['missing', 'missing']);
    expect(rows[1]!.forms).toEqual([]);
  });

  it('includes a form that is current today but expires before the visit', () => {
    // 6-month transport agreement signed 2025-09-05T15:00Z expires 2026-03-05T15:00Z.
    const consents = [
      signed('p1', 'informed', '2026-01-01T00:00:00Z'),
      signed('p1', 'transport', '2025-09-05T15:00:00Z'),
      signed('p1', 'npp', '2025-01-01T00:00:00Z'),
    ];
    const early = needs([appt('p1', `${DAY}T14:59:00Z`, 'iv')], consents)[0]!;
    expect(early.forms).toEqual([]);
    expect(early.renewSoon.map((r) => r.template.templateKey)).toEqual(['transport']);
    const late = needs([appt('p1', `${DAY}T15:00:00Z`, 'iv')], consents)[0]!;
    expect(late.forms).toMatchObject([
      { reason: 'expires-before-visit', since: '2026-03-05T15:00:00.000Z' },
    ]);
    expect(late.renewSoon).toEqual([]);
  });

  it('tells expired-already apart from revoked', () => {
    const informed = signed('p1', 'informed', '2026-01-01T00:00:00Z');
    const rows = needs(
      [appt('p1', `${DAY}T14:00:00Z`, 'iv')],
      [
        informed,
        signed('p1', 'informed', '2026-02-01T00:00:00Z', { revokes: informed.id }),
        signed('p1', 'transport', '2025-06-01T00:00:00Z'),
        signed('p1', 'npp', '2025-01-01T00:00:00Z'),
      ],
    );
    expect(rows[0]!.forms.map((f) => [f.template.templateKey, f.reason, f.since])).toEqual([
      ['informed', 'revoked', '2026-02-01T00:00:00Z'],
      ['transport', 'expired', '2025-12-01T00:00:00.000Z'],
    ]);
  });

  it('merges two visits of one patient and lists a shared form once', () => {
    const rows = needs(
      [appt('p1', `${DAY}T18:00:00Z`, 'tele'), appt('p1', `${DAY}T14:00:00Z`, 'home')],
      [],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.visits.map((v) => v.program)).toEqual(['home', 'tele']);
    expect(keys(rows[0]!)).toEqual(['informed', 'home-agreement', 'telehealth', 'npp']);
    expect(rows[0]!.forms.find((f) => f.template.templateKey === 'npp')!.programs).toEqual([
      'home',
      'tele',
    ]);
  });

  it('skips cancelled visits and still lists visits without a program', () => {
    const rows = needs(
      [appt('p1', `${DAY}T14:00:00Z`, 'iv', true), appt('p2', `${DAY}T15:00:00Z`)],
      [],
    );
    expect(rows.map((r) => [r.displayName, r.forms.length])).toEqual([['Okafor, Ben', 0]]);
  });

  it('flags a program no packet names instead of calling it all current', () => {
    const [row] = needs([appt('p3', `${DAY}T14:00:00Z`, 'in-ofice-iv')], []);
    expect(row!.unconfiguredPrograms).toEqual(['in-ofice-iv']);
  });

  it('keeps a scheduled patient whose record has not synced yet', () => {
    const [row] = needs([appt('p9', `${DAY}T14:00:00Z`, 'tele')], []);
    expect(row).toMatchObject({ patientId: 'p9', patient: undefined });
    expect(keys(row!)).toEqual(['npp', 'telehealth']);
  });
});

describe('packet templates', () => {
  it('prints the newest version and reports a form that is retired or unknown', () => {
    const v2 = { ...TEMPLATES[0]!, version: 2, title: 'informed v2' };
    const retired = { ...TEMPLATES[1]!, version: 2, retired: true };
    const withOptional = {
      ...PACKETS[0]!,
      forms: [...PACKETS[0]!.forms, { templateKey: 'recording', required: false }],
    };
    const got = packetTemplates(withOptional, [...TEMPLATES, v2, retired]);
    expect(got.required.map((x) => x.title)).toEqual(['informed v2', 'npp']);
    expect(got.unknownKeys).toEqual(['transport', 'recording']);
  });
});
