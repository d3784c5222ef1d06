import { describe, expect, it } from 'vitest';
import { defaultConsentPackets, defaultConsentTemplates } from '../../../shared/consent-defaults';
import { effectivePackets } from '../../../shared/rules/consent-packets';
import type { Appointment, SignedConsent } from '../../../shared/model';
import { consentSummaries } from './consent-summary';

const templates = defaultConsentTemplates();
const packets = effectivePackets([], templates, defaultConsentPackets());
const AT = new Date('2026-06-01T12:00:00Z');

const signed = (patientId: string, templateKey: string, signedAt: string, program?: string) =>
  ({
    id: `${patientId}-${templateKey}`,
    kind: 'signed-consent',
    status: 'signed',
    patientId,
    templateKey,
    templateVersion: 1,
    signedAt,
    program,
  }) as SignedConsent;

const visit = (patientId: string, start: string, program: string, cancelled = false) =>
  ({ id: `${patientId}-${start}`, patientId, start, program, cancelled }) as Appointment;

const TELEHEALTH = ['telehealth-consent', 'npp-acknowledgement', 'financial-policy'];

describe('patient list consent summary', () => {
  it('is current when every form of the patient’s program is signed and in date', () => {
    const consents = TELEHEALTH.map((k) =>
      signed('maya', k, '2026-01-10T10:00:00Z', 'telehealth-integration'),
    );
    const s = consentSummaries({ consents, appointments: [], templates, packets, at: AT }).get(
      'maya',
    )!;
    expect(s.status).toBe('current');
    expect(s.programs).toEqual([{ program: 'telehealth-integration', status: 'current' }]);
  });

  it('shows the worst program: a booked esketamine visit without its forms is missing', () => {
    const consents = TELEHEALTH.map((k) =>
      signed('maya', k, '2026-01-10T10:00:00Z', 'telehealth-integration'),
    );
    const appointments = [visit('maya', '2026-06-03T15:00:00Z', 'esketamine')];
    const s = consentSummaries({ consents, appointments, templates, packets, at: AT }).get('maya')!;
    expect(s.status).toBe('missing');
    expect(s.programs.map((p) => p.status)).toEqual(['missing', 'current']);
  });

  it('turns to expiring in the last 30 days of a 12-month form', () => {
    const consents = TELEHEALTH.map((k) =>
      signed('maya', k, '2025-06-20T10:00:00Z', 'telehealth-integration'),
    );
    const s = consentSummaries({ consents, appointments: [], templates, packets, at: AT }).get(
      'maya',
    )!;
    expect(s.status).toBe('expiring');
  });

  it('leaves out patients in no program, past visits and cancelled ones', () => {
    const appointments = [
      visit('lee', '2026-05-01T15:00:00Z', 'esketamine'),
      visit('kim', '2026-06-05T15:00:00Z', 'esketamine', true),
    ];
    const map = consentSummaries({ consents: [], appointments, templates, packets, at: AT });
    expect(map.size).toBe(0);
  });
});
