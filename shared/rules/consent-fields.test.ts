import { describe, expect, it } from 'vitest';
import { defaultConsentTemplates } from '../consent-defaults';
import type { ConsentTemplateBody } from '../model/consent';
import { parseFormText } from '../print/text';
import { consentContentHash, newTemplateVersion, prepareSignedConsent } from './consent';
import {
  checkTemplateFields,
  fieldIdFor,
  fieldProblem,
  fieldValueText,
  fillFields,
} from './consent-fields';

const transport = defaultConsentTemplates().find(
  (t) => t.templateKey === 'transport-escort-agreement',
)!;
const VALUES = {
  'escort-name': 'Alex Rivera',
  'escort-phone': '(218) 555-0147',
  'initials-escort': 'MO',
  'initials-driving': 'MO',
  'initials-rest-of-day': 'M.O.',
};
const sig = (role: 'patient' | 'witness') => ({
  role,
  name: 'Maya Okafor',
  signedAt: '2026-03-01T15:00:00.000Z',
  image: 'data:image/png;base64,iVBORw0KGgo=',
});
const sign = (fieldValues: Record<string, string>, template: ConsentTemplateBody = transport) =>
  prepareSignedConsent({
    template,
    values: { clinicName: 'Harbor', patientName: 'Maya Okafor' },
    fieldValues,
    signatures: [sig('patient'), sig('witness')],
    signedAt: '2026-03-01T15:00:00.000Z',
    ids: { patientId: 'p', templateId: 't', deviceId: 'd', program: 'in-office-iv' },
  });

describe('fields inside consent forms', () => {
  it('the transport agreement asks for the escort and initials each section, in place', () => {
    const blocks = parseFormText(transport.body);
    const at = (id: string) => blocks.findIndex((b) => b.kind === 'field' && b.id === id);
    const heading = (text: string) =>
      blocks.findIndex((b) => b.kind === 'heading' && b.text === text);
    expect(at('escort-name')).toBeGreaterThan(heading('You need an escort'));
    expect(at('escort-phone')).toBe(at('escort-name') + 1);
    expect(at('initials-escort')).toBeLessThan(heading('No driving until the next day'));
    expect(at('initials-driving')).toBeLessThan(heading('The rest of the day'));
    expect(at('initials-rest-of-day')).toBeLessThan(heading('Agreement'));
  });

  it('stores the filled values with their labels, and they are part of the content hash', async () => {
    const a = await sign(VALUES);
    expect(a.fields!.map((f) => [f.id, f.value])).toEqual([
      ['escort-name', 'Alex Rivera'],
      ['escort-phone', '(218) 555-0147'],
      ['initials-escort', 'MO'],
      ['initials-driving', 'MO'],
      ['initials-rest-of-day', 'M.O.'],
    ]);
    expect(a.renderedText).toContain('[[escort-name]]');
    const b = await sign({ ...VALUES, 'escort-phone': '(218) 555-0148' });
    expect(b.contentHash).not.toBe(a.contentHash);
    expect(await consentContentHash(a)).toBe(a.contentHash);
    const tampered = { ...a, fields: a.fields!.map((f) => ({ ...f, value: 'Someone else' })) };
    expect(await consentContentHash(tampered)).not.toBe(a.contentHash);
  });

  it('a consent signed before fields existed has none, and its hash still verifies', async () => {
    const old = { ...transport, version: 1, fields: undefined, body: 'I agree at {{clinicName}}.' };
    const signed = await sign({}, old);
    expect('fields' in signed).toBe(false);
    expect(await consentContentHash(signed)).toBe(signed.contentHash);
  });

  it('refuses to sign with a required field empty or a phone without digits, naming it', async () => {
    await expect(sign({ ...VALUES, 'escort-name': ' ' })).rejects.toThrow(
      "Fill in “Escort's full name”",
    );
    await expect(sign({ ...VALUES, 'escort-phone': 'call my sister' })).rejects.toThrow(
      'phone number with at least 7 digits',
    );
    await expect(sign({ ...VALUES, extra: 'x' })).rejects.toThrow('has no field "extra"');
  });

  it('checks values by type', () => {
    const f = (type: 'date' | 'checkbox' | 'initials', required = true) => ({
      id: 'x1',
      type,
      label: 'X',
      required,
    });
    expect(fieldProblem(f('date'), '2026-02-30')).toMatch('needs a date');
    expect(fieldProblem(f('date'), '2026-02-28')).toBeUndefined();
    expect(fieldProblem(f('checkbox'), 'no')).toMatch('Tick');
    expect(fieldProblem(f('checkbox', false), 'no')).toBeUndefined();
    expect(fieldProblem(f('initials'), 'M0')).toMatch('initials');
    expect(fillFields('T', [f('checkbox', false)], {})).toEqual([
      { id: 'x1', type: 'checkbox', label: 'X', value: 'no' },
    ]);
    expect(fieldValueText({ type: 'date', value: '2026-03-07' })).toBe('Mar 7, 2026');
  });

  it('a template must place each field once, on a line of its own, and nothing else', () => {
    const field = { id: 'escort', type: 'text' as const, label: 'Escort', required: true };
    expect(() => checkTemplateFields('T', 'Text\n\n[[escort]]', [field])).not.toThrow();
    expect(() => checkTemplateFields('T', 'Text', [field])).toThrow('not placed');
    expect(() => checkTemplateFields('T', 'Name: [[escort]]', [field])).toThrow('line of its own');
    expect(() => checkTemplateFields('T', '[[escort]]\n\n[[escort]]', [field])).toThrow('twice');
    expect(() => checkTemplateFields('T', '[[escort]]\n\n[[phone]]', [field])).toThrow('[[phone]]');
    expect(() => newTemplateVersion(transport, { fields: transport.fields!.slice(1) })).toThrow(
      '[[escort-name]]',
    );
    expect(fieldIdFor("Escort's phone", ['escort-s-phone'])).toBe('escort-s-phone-2');
  });

  it('a name typed into a placeholder cannot open a field', async () => {
    const signed = await prepareSignedConsent({
      template: {
        ...transport,
        body: 'I, {{patientName}}, agree.\n\n[[escort-name]]',
        fields: [transport.fields![0]!],
      },
      values: { patientName: '[[escort-name]]' },
      fieldValues: { 'escort-name': 'Alex' },
      signatures: [sig('patient'), sig('witness')],
      signedAt: '2026-03-01T15:00:00.000Z',
      ids: { patientId: 'p', templateId: 't', deviceId: 'd' },
    });
    expect(parseFormText(signed.renderedText).filter((b) => b.kind === 'field')).toHaveLength(1);
  });
});
