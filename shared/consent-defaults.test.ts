import { describe, expect, it } from 'vitest';
import { defaultConsentPackets, defaultConsentTemplates } from './consent-defaults';
import { ConsentTemplateBody } from './model/consent';
import { renderTemplate } from './rules/consent';
import { derivedPacket, packetTemplates } from './rules/consent-packets';

const templates = defaultConsentTemplates();
const byKey = (key: string) => templates.find((t) => t.templateKey === key)!;
const CLINIC = {
  clinicName: 'Aspen Ridge Wellness',
  clinicAddress: '12 Pine St, Boulder, CO 80302',
  clinicPhone: '303-555-0100',
  patientName: 'Jane Roe',
  patientDateOfBirth: '1984-03-07',
};

describe('default consent templates', () => {
  it('ships the eight forms of issue 5, each valid as a stored template', () => {
    expect(templates.map((t) => t.templateKey).sort()).toEqual([
      'at-home-treatment-agreement',
      'esketamine-rems-acknowledgement',
      'financial-policy',
      'kat-informed-consent',
      'npp-acknowledgement',
      'recording-consent',
      'telehealth-consent',
      'transport-escort-agreement',
    ]);
    for (const t of templates) expect(ConsentTemplateBody.safeParse(t).success).toBe(true);
  });

  it('renders every form with clinic details and no braces left over', () => {
    for (const t of templates) {
      const text = renderTemplate(t, CLINIC);
      expect(text, t.templateKey).not.toMatch(/\{|\}/);
      expect(text, t.templateKey).toContain('Aspen Ridge Wellness');
      expect(text, t.templateKey).toContain('Jane Roe');
    }
  });

  it('covers what informed consent for ketamine must say', () => {
    const text = byKey('kat-informed-consent').body.toLowerCase();
    for (const topic of [
      'off-label',
      'dissociation',
      'blood pressure',
      'heart rate',
      'nausea',
      'vomiting',
      'misuse',
      'bladder',
      'long-term',
      'pregnant',
      'psychosis',
      'solid food',
      'take you home',
      'do not drive',
      'right before any dose',
    ])
      expect(text, topic).toContain(topic);
    for (const route of ['IV', 'IM', 'Intranasal', 'Sublingual'])
      expect(byKey('kat-informed-consent').body, route).toMatch(new RegExp(`^- ${route}: `, 'm'));
    expect(byKey('kat-informed-consent').signers).toEqual(['patient', 'witness', 'clinician']);
  });

  it('tells esketamine patients about 2-hour monitoring and no driving until after sleep', () => {
    const text = byKey('esketamine-rems-acknowledgement').body;
    expect(text).toContain('at least 2 hours');
    expect(text).toContain(
      'Do not drive or use machinery until the next day, after a restful sleep',
    );
  });

  it('binds at-home patients to a monitor, locked storage, no sharing and pre-dose vitals', () => {
    const text = byKey('at-home-treatment-agreement').body.toLowerCase();
    for (const topic of [
      'treatment monitor',
      'locked',
      'never share',
      'blood pressure and heart rate',
    ])
      expect(text, topic).toContain(topic);
  });

  it('gives each form the validity a clinic expects', () => {
    const validity = Object.fromEntries(templates.map((t) => [t.templateKey, t.validity]));
    expect(validity).toMatchObject({
      'npp-acknowledgement': 'never-expires',
      'esketamine-rems-acknowledgement': 'per-program',
      'at-home-treatment-agreement': 'per-program',
      'kat-informed-consent': '12-months',
    });
  });
});

describe('default packets', () => {
  const packets = defaultConsentPackets();

  it('names the four program packets', () => {
    expect(packets.map((p) => p.name)).toEqual([
      'In-office IV ketamine',
      'Esketamine nasal spray',
      'At-home troches',
      'Telehealth integration',
    ]);
  });

  it('lists exactly the forms each program requires, plus optional ones that exist', () => {
    for (const p of packets) {
      // What a clinic's first stored packet holds: the shipped list, required as templates say.
      const derived = derivedPacket(p, templates);
      const required = derived.forms.filter((f) => f.required).map((f) => f.templateKey);
      expect(required, p.program).toEqual(p.templateKeys);
      expect(
        derived.forms.map((f) => f.templateKey),
        p.program,
      ).toEqual([...p.templateKeys, ...p.optionalTemplateKeys]);
      expect(packetTemplates(derived, templates).unknownKeys, p.program).toEqual([]);
    }
  });

  it('never requires the recording consent: a patient may decline it and still be treated', () => {
    for (const p of packets) expect(p.templateKeys).not.toContain('recording-consent');
    expect(byKey('recording-consent').programs).toEqual([]);
  });

  it('gives esketamine its REMS form and no at-home rules (in-office only, PRODUCT.md)', () => {
    const eske = packets.find((p) => p.program === 'esketamine')!;
    expect(eske.templateKeys).toContain('esketamine-rems-acknowledgement');
    expect(eske.templateKeys).not.toContain('at-home-treatment-agreement');
  });
});
