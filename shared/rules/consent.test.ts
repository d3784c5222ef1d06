import { describe, expect, it } from 'vitest';
import type { ConsentTemplateBody, SignedConsentBody } from '../model/consent';
import {
  consentsToPrint,
  patientsNeedingReconsent,
  addCalendarMonths,
  consentContentHash,
  consentExpiresAt,
  consentStatus,
  isConsentCurrent,
  newTemplateVersion,
  prepareRevocation,
  prepareSignedConsent,
  renderTemplate,
  type ConsentLike,
  type TemplateLike,
} from './consent';
import type { PacketLike } from './consent-packets';

const CLINIC = {
  clinicName: 'Aspen Ridge Wellness',
  clinicAddress: '12 Pine St, Boulder, CO',
  clinicPhone: '303-555-0100',
};

const informed: ConsentTemplateBody = {
  templateKey: 'kat-informed-consent',
  version: 1,
  title: 'Informed consent',
  body: 'Treatment at {{clinicName}}.\n\nI, {{ patientName }}, agree. Call {{clinicPhone}}.',
  signers: ['patient', 'witness'],
  validity: '12-months',
  programs: ['in-office-iv'],
  retired: false,
};
const npp: TemplateLike = {
  templateKey: 'npp-acknowledgement',
  version: 1,
  title: 'Privacy notice acknowledgement',
  validity: 'never-expires',
  programs: ['in-office-iv', 'telehealth'],
};
const homeAgreement: TemplateLike = {
  templateKey: 'at-home-agreement',
  version: 1,
  title: 'At-home agreement',
  validity: 'per-program',
  programs: ['at-home', 'at-home-pilot'],
};
const TEMPLATES: TemplateLike[] = [informed, npp, homeAgreement];
const packet = (program: string, keys: string[]): PacketLike => ({
  program,
  name: program,
  forms: keys.map((templateKey) => ({ templateKey, required: true })),
});
/** Requirements live in packets (issue 17); these match the templates' `programs` above. */
const PACKETS: PacketLike[] = [
  packet('in-office-iv', ['kat-informed-consent', 'npp-acknowledgement']),
  packet('telehealth', ['npp-acknowledgement']),
  packet('at-home', ['at-home-agreement']),
  packet('at-home-pilot', ['at-home-agreement']),
];

const sig = (role: 'patient' | 'witness' | 'clinician', name = 'Jane Roe') => ({
  role,
  name,
  signedAt: '2026-01-15T10:00:00.000Z',
  image: 'data:image/png;base64,iVBORw0KGgo=',
});

let n = 0;
const consent = (key: string, signedAt: string, extra: Partial<ConsentLike> = {}): ConsentLike => ({
  id: `c${++n}`,
  templateKey: key,
  templateVersion: 1,
  signedAt,
  ...extra,
});

const status = (consents: ConsentLike[], at: string, program = 'in-office-iv') =>
  consentStatus({ consents, templates: TEMPLATES, packets: PACKETS, program, at });

describe('rendering a template', () => {
  it('fills every placeholder, spaces inside the braces allowed', () => {
    const text = renderTemplate(informed, { ...CLINIC, patientName: 'Zoë Müller' });
    expect(text).toBe(
      'Treatment at Aspen Ridge Wellness.\n\nI, Zoë Müller, agree. Call 303-555-0100.',
    );
  });

  it('names a misspelled placeholder and lists the ones that work', () => {
    const bad = { ...informed, body: 'Welcome to {{clinicNmae}}.' };
    expect(() => renderTemplate(bad, CLINIC)).toThrow(/\{\{clinicNmae\}\}.*\{\{clinicName\}\}/);
  });

  it('names an empty clinic detail and where to fill it in', () => {
    expect(() =>
      renderTemplate(informed, { ...CLINIC, clinicPhone: ' ', patientName: 'J' }),
    ).toThrow('needs the clinic phone number in Clinic settings, which is empty');
    expect(() => renderTemplate(informed, CLINIC)).toThrow("the patient's name in the chart");
  });

  it('refuses unmatched braces instead of printing them to the patient', () => {
    const bad = { ...informed, body: 'Call {{clinicPhone} today.' };
    expect(() => renderTemplate(bad, CLINIC)).toThrow(/unmatched double braces near "Call \{\{/);
  });

  it('does not expand braces typed into a value', () => {
    const text = renderTemplate(informed, { ...CLINIC, patientName: '{{clinicName}}' });
    expect(text).toContain('I, {{clinicName}}, agree');
  });
});

describe('editing a template makes a new version', () => {
  it('keeps the key, adds one to the version and takes the edit', () => {
    const v2 = newTemplateVersion(informed, { body: `${informed.body}\n\nNew risk paragraph.` });
    expect(v2).toMatchObject({ templateKey: 'kat-informed-consent', version: 2 });
    expect(v2.body).toContain('New risk paragraph.');
  });

  it('refuses an edit that changes nothing, or an edit of an outdated version', () => {
    expect(() => newTemplateVersion(informed, { title: informed.title })).toThrow(
      'Nothing was changed',
    );
    const v2 = { ...informed, version: 2 };
    expect(() => newTemplateVersion(informed, { title: 'X' }, [informed, v2])).toThrow(
      'Version 2 of "Informed consent" was saved after the version you edited',
    );
  });

  it('refuses an empty text or an unknown placeholder', () => {
    expect(() => newTemplateVersion(informed, { body: '  ' })).toThrow('Text is required');
    expect(() => newTemplateVersion(informed, { body: 'Hi {{doctor}}' })).toThrow('{{doctor}}');
  });

  it('never changes what a patient already signed', async () => {
    const signed = await prepareSignedConsent({
      template: informed,
      values: { ...CLINIC, patientName: 'Jane Roe' },
      signatures: [sig('patient'), sig('witness', 'Sam Staff')],
      signedAt: '2026-01-15T10:00:00.000Z',
      ids: { patientId: 'p1', templateId: 't1', deviceId: 'front-desk-ipad' },
    });
    const before = structuredClone(signed);
    const v2 = newTemplateVersion(informed, { body: 'Completely rewritten for {{patientName}}.' });

    expect(signed).toEqual(before);
    expect(signed.renderedText).toContain('Treatment at Aspen Ridge Wellness.');
    expect(signed.templateVersion).toBe(1);
    expect(await consentContentHash(signed)).toBe(signed.contentHash);
    // A consent signed under version 1 stays current after version 2 is published.
    const withId = { ...signed, id: 's1' };
    const templates = [...TEMPLATES, v2];
    expect(
      consentStatus({
        consents: [withId],
        templates,
        packets: PACKETS,
        program: 'in-office-iv',
        at: '2026-02-01T00:00:00Z',
      }).forms[0]!.state,
    ).toBe('current');
  });
});

describe('expiry dates', () => {
  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addCalendarMonths('2026-08-31T15:00:00.000Z', 6)).toBe('2027-02-28T15:00:00.000Z');
    expect(addCalendarMonths('2027-08-31T15:00:00.000Z', 6)).toBe('2028-02-29T15:00:00.000Z');
    expect(addCalendarMonths('2024-02-29T09:30:00Z', 12)).toBe('2025-02-28T09:30:00.000Z');
    expect(addCalendarMonths('2026-01-15T10:00:00.000Z', 12)).toBe('2027-01-15T10:00:00.000Z');
  });

  it('counts months on the wall clock of the offset the time was written in', () => {
    // Aug 31, 8 pm in Denver is already Sep 1 in UTC; six months later is Feb 28 in Denver.
    expect(addCalendarMonths('2026-08-31T20:00:00-07:00', 6)).toBe('2027-03-01T03:00:00.000Z');
  });

  it('sets no date for never-expiring and per-program forms', () => {
    expect(consentExpiresAt('never-expires', '2026-01-15T10:00:00Z')).toBeUndefined();
    expect(consentExpiresAt('per-program', '2026-01-15T10:00:00Z')).toBeUndefined();
    expect(consentExpiresAt('6-months', '2026-01-15T10:00:00Z')).toBe('2026-07-15T10:00:00.000Z');
  });
});

describe('consent status for a program', () => {
  const signedAt = '2026-01-15T10:00:00.000Z'; // 12-month form expires 2027-01-15T10:00Z
  const both = () => [
    consent('kat-informed-consent', signedAt),
    consent('npp-acknowledgement', signedAt),
  ];

  it('is expired exactly at the expiry instant, expiring just before it', () => {
    expect(status(both(), '2027-01-15T09:59:59.999Z').status).toBe('expiring');
    expect(status(both(), '2027-01-15T10:00:00.000Z').status).toBe('expired');
    expect(
      isConsentCurrent(both(), 'in-office-iv', '2027-01-15T09:59:59.999Z', TEMPLATES, PACKETS),
    ).toBe(true);
    expect(
      isConsentCurrent(both(), 'in-office-iv', '2027-01-15T10:00:00.000Z', TEMPLATES, PACKETS),
    ).toBe(false);
  });

  it('turns expiring exactly 30 days before expiry, not a millisecond earlier', () => {
    expect(status(both(), '2026-12-16T10:00:00.000Z').status).toBe('expiring');
    expect(status(both(), '2026-12-16T09:59:59.999Z').status).toBe('current');
  });

  it('lists which forms are missing, and reports missing before expired', () => {
    const s = status(
      [consent('kat-informed-consent', '2025-01-01T00:00:00Z')],
      '2026-06-01T00:00:00Z',
    );
    expect(s.status).toBe('missing');
    expect(s.forms.map((f) => [f.template.templateKey, f.state])).toEqual([
      ['kat-informed-consent', 'expired'],
      ['npp-acknowledgement', 'missing'],
    ]);
  });

  it('ignores a consent signed after the moment asked about', () => {
    expect(status(both(), '2026-01-15T09:00:00.000Z').status).toBe('missing');
  });

  it('uses the latest-expiring of several signed copies', () => {
    const consents = [...both(), consent('kat-informed-consent', '2025-01-01T00:00:00Z')];
    expect(status(consents, '2026-06-01T00:00:00Z').status).toBe('current');
  });

  it('stops counting a revoked consent from the moment the revocation was signed', () => {
    const [informedConsent, ack] = both();
    const revocation = consent('kat-informed-consent', '2026-03-01T12:00:00.000Z', {
      revokes: informedConsent!.id,
    });
    const consents = [informedConsent!, ack!, revocation];
    expect(status(consents, '2026-03-01T11:59:59.000Z').status).toBe('current');
    const after = status(consents, '2026-03-01T12:00:00.000Z');
    expect(after.status).toBe('withdrawn');
    expect(after.forms[0]).toMatchObject({
      state: 'withdrawn',
      withdrawnAt: '2026-03-01T12:00:00.000Z',
      withdrawalId: revocation.id,
    });
    // A revocation entered in error no longer revokes.
    const undone = [informedConsent!, ack!, { ...revocation, status: 'entered-in-error' as const }];
    expect(status(undone, '2026-04-01T00:00:00Z').status).toBe('current');
  });

  it('a withdrawal also ends older signed copies of the same form', () => {
    const older = consent('kat-informed-consent', '2025-12-01T10:00:00.000Z');
    const [newer, ack] = both();
    const withdrawal = consent('kat-informed-consent', '2026-03-01T12:00:00.000Z', {
      revokes: newer!.id,
    });
    const s = status([older, newer!, ack!, withdrawal], '2026-04-01T00:00:00Z');
    expect(s.forms[0]).toMatchObject({ state: 'withdrawn', withdrawalId: withdrawal.id });
    // Signing the form again after withdrawing counts again.
    const again = consent('kat-informed-consent', '2026-03-05T12:00:00.000Z');
    expect(status([older, newer!, ack!, withdrawal, again], '2026-04-01T00:00:00Z').status).toBe(
      'current',
    );
  });

  it('requires what the packet requires, whatever a template lists in `programs`', () => {
    const recording: TemplateLike = {
      templateKey: 'recording-consent',
      version: 1,
      title: 'Recording',
      validity: 'never-expires',
      programs: [],
    };
    const packets = [
      packet('in-office-iv', ['kat-informed-consent', 'npp-acknowledgement', 'recording-consent']),
    ];
    const s = consentStatus({
      consents: both(),
      templates: [...TEMPLATES, recording],
      packets,
      program: 'in-office-iv',
      at: '2026-02-01T00:00:00Z',
    });
    expect(s.status).toBe('missing');
    expect(s.forms.map((f) => f.template.templateKey)).toContain('recording-consent');
    const optional = [
      {
        ...packets[0]!,
        forms: packets[0]!.forms.map((f) => ({
          ...f,
          required: f.templateKey !== 'recording-consent',
        })),
      },
    ];
    expect(
      consentStatus({
        consents: both(),
        templates: [...TEMPLATES, recording],
        packets: optional,
        program: 'in-office-iv',
        at: '2026-02-01T00:00:00Z',
      }).status,
    ).toBe('current');
  });

  it('asks for re-consent when a newer version says so, and counts the new signature', () => {
    const v2 = { ...informed, version: 2, reconsent: true };
    const templates = [...TEMPLATES, v2];
    const run = (consents: ConsentLike[]) =>
      consentStatus({
        consents,
        templates,
        packets: PACKETS,
        program: 'in-office-iv',
        at: '2026-02-01T00:00:00Z',
      });
    const s = run(both());
    expect(s.status).toBe('reconsent');
    expect(s.forms[0]).toMatchObject({ state: 'reconsent', requiredVersion: 2 });
    expect(
      isConsentCurrent(both(), 'in-office-iv', '2026-02-01T00:00:00Z', templates, PACKETS),
    ).toBe(false);
    const resigned = consent('kat-informed-consent', '2026-01-20T10:00:00.000Z', {
      templateVersion: 2,
    });
    expect(run([...both(), resigned]).status).toBe('current');
    // A later version that does not ask again keeps version 2 as the oldest accepted.
    const v3 = { ...informed, version: 3 };
    expect(
      consentStatus({
        consents: [...both(), resigned],
        templates: [...templates, v3],
        packets: PACKETS,
        program: 'in-office-iv',
        at: '2026-02-01T00:00:00Z',
      }).status,
    ).toBe('current');
  });

  it('does not carry "ask for re-consent" over to the next edit of the template', () => {
    const v2 = newTemplateVersion(informed, {
      body: `${informed.body}\n\nNew risk.`,
      reconsent: true,
    });
    expect(v2.reconsent).toBe(true);
    const v3 = newTemplateVersion(v2, { title: 'Informed consent (2026)' });
    expect(v3.reconsent).toBeFalsy();
  });

  it('does not count a consent marked entered in error', () => {
    const [a, b] = both();
    expect(status([{ ...a!, status: 'entered-in-error' }, b!], '2026-02-01T00:00:00Z').status).toBe(
      'missing',
    );
  });

  it('counts a per-program form only for the program it was signed for', () => {
    const c = consent('at-home-agreement', signedAt, { program: 'at-home' });
    expect(status([c], '2030-01-01T00:00:00Z', 'at-home').status).toBe('current');
    expect(status([c], '2026-02-01T00:00:00Z', 'at-home-pilot').status).toBe('missing');
  });

  it('fails closed for a program no form names', () => {
    const s = status(both(), '2026-02-01T00:00:00Z', 'in-ofice-iv');
    expect(s).toMatchObject({ status: 'missing', unconfigured: true });
    expect(
      isConsentCurrent(both(), 'in-ofice-iv', '2026-02-01T00:00:00Z', TEMPLATES, PACKETS),
    ).toBe(false);
  });

  it('stops requiring a form whose newest version is retired', () => {
    const retired = { ...npp, version: 2, retired: true };
    const s = consentStatus({
      consents: [consent('kat-informed-consent', signedAt)],
      templates: [...TEMPLATES, retired],
      packets: PACKETS,
      program: 'in-office-iv',
      at: '2026-02-01T00:00:00Z',
    });
    expect(s.status).toBe('current');
  });
});

describe('preparing a signed consent', () => {
  const base = {
    template: informed,
    values: { ...CLINIC, patientName: 'Jane Roe' },
    signedAt: '2026-01-15T10:00:00.000Z',
    ids: {
      patientId: 'p1',
      templateId: 't1',
      deviceId: 'front-desk-ipad',
      program: 'in-office-iv',
    },
  };

  it('refuses a form without a signature its template requires', async () => {
    await expect(prepareSignedConsent({ ...base, signatures: [sig('patient')] })).rejects.toThrow(
      '"Informed consent" still needs the witness signature',
    );
  });

  it('refuses a per-program form signed without a program', async () => {
    const template = { ...informed, validity: 'per-program' as const };
    const ids = { ...base.ids, program: undefined };
    await expect(
      prepareSignedConsent({
        ...base,
        template,
        ids,
        signatures: [sig('patient'), sig('witness')],
      }),
    ).rejects.toThrow('Choose the program first');
  });

  it('stores the rendered text, expiry and a hash that changes with the text', async () => {
    const signatures = [sig('patient'), sig('witness')];
    const a = await prepareSignedConsent({ ...base, signatures });
    expect(a.expiresAt).toBe('2027-01-15T10:00:00.000Z');
    expect(a.renderedText).toContain('I, Jane Roe, agree.');
    expect(a.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const b = await prepareSignedConsent({
      ...base,
      signatures,
      values: { ...base.values, patientName: 'J. Roe' },
    });
    expect(b.contentHash).not.toBe(a.contentHash);
  });

  it('revokes with a new record that points at the original', async () => {
    const original: SignedConsentBody & { id: string } = {
      ...(await prepareSignedConsent({ ...base, signatures: [sig('patient'), sig('witness')] })),
      id: 'orig',
    };
    const early = { revoked: original, signatures: [sig('patient')], deviceId: 'd' };
    await expect(prepareRevocation({ ...early, signedAt: '2026-01-14T00:00:00Z' })).rejects.toThrow(
      'cannot be dated before',
    );
    const r = await prepareRevocation({
      ...early,
      signedAt: '2026-02-01T00:00:00.000Z',
      reason: 'Moving',
    });
    expect(r).toMatchObject({ revokes: 'orig', templateKey: 'kat-informed-consent' });
    expect(r.renderedText).toContain('Reason given: Moving');
    const consents = [
      { ...original },
      { ...r, id: 'rev' },
      consent('npp-acknowledgement', base.signedAt),
    ];
    expect(status(consents, '2026-02-02T00:00:00Z').status).toBe('withdrawn');
  });
});

describe('who must re-consent after a version asks for it', () => {
  const c = (id: string, patientId: string, version: number, more: object = {}) => ({
    id,
    patientId,
    templateKey: 'informed',
    templateVersion: version,
    signedAt: '2026-01-10T10:00:00Z',
    ...more,
  });
  const t = (version: number, reconsent?: boolean) => ({
    templateKey: 'informed',
    version,
    reconsent,
  });
  const at = '2026-06-01T00:00:00Z';
  it('lists patients whose counting copy is older than the version that asked', () => {
    const consents = [
      c('a', 'old-signer', 1),
      c('b', 'signed-new', 1),
      c('b2', 'signed-new', 3, { signedAt: '2026-05-01T10:00:00Z' }),
      c('c', 'withdrew', 1),
      c('c-w', 'withdrew', 1, { revokes: 'c', signedAt: '2026-02-01T10:00:00Z' }),
      c('d', 'lapsed', 1, { expiresAt: '2026-03-01T00:00:00Z' }),
      c('e', 'in-error', 1, { status: 'entered-in-error' }),
      c('f', 'other-form', 1, { templateKey: 'financial' }),
    ];
    expect(patientsNeedingReconsent(consents, [t(1), t(2), t(3, true)], 'informed', at)).toEqual([
      'old-signer',
    ]);
    // a plain new version asks nothing of anyone
    expect(patientsNeedingReconsent(consents, [t(1), t(2)], 'informed', at)).toEqual([]);
  });
});

describe('which signed forms a print covers', () => {
  const signed = (id: string, day: number, more: object = {}) => ({
    id,
    templateKey: id,
    templateVersion: 1,
    signedAt: `2026-01-${String(day).padStart(2, '0')}T10:00:00Z`,
    ...more,
  });
  const tpl = {
    templateKey: 'x',
    version: 1,
    title: 'X',
    validity: '12-months' as const,
    programs: [],
  };
  const consents = [
    signed('npp', 3),
    signed('informed', 2),
    signed('recording', 4),
    signed('recording-w', 5, { templateKey: 'recording', revokes: 'recording' }),
    signed('tele', 6),
    signed('typo', 7, { status: 'entered-in-error' as const }),
  ];
  const statuses = [
    {
      program: 'iv',
      forms: [
        { state: 'current' as const, template: tpl, consentId: 'informed' },
        { state: 'expiring' as const, template: tpl, consentId: 'npp' },
        {
          state: 'withdrawn' as const,
          template: tpl,
          withdrawnAt: 'x',
          withdrawalId: 'recording-w',
        },
      ],
    },
    {
      program: 'tele',
      forms: [
        { state: 'current' as const, template: tpl, consentId: 'tele' },
        { state: 'current' as const, template: tpl, consentId: 'npp' },
      ],
    },
  ];
  const ids = (list: { id: string }[]) => list.map((c) => c.id);
  it('everything current, once each, oldest first; withdrawn forms and withdrawals left out', () => {
    expect(ids(consentsToPrint(consents, statuses, { what: 'current' }))).toEqual([
      'informed',
      'npp',
      'tele',
    ]);
  });
  it('one packet', () => {
    expect(ids(consentsToPrint(consents, statuses, { what: 'packet', program: 'iv' }))).toEqual([
      'informed',
      'npp',
    ]);
  });
  it('everything signed, withdrawals included, never what was entered in error', () => {
    expect(ids(consentsToPrint(consents, statuses, { what: 'all' }))).toEqual([
      'informed',
      'npp',
      'recording',
      'recording-w',
      'tele',
    ]);
  });
});
