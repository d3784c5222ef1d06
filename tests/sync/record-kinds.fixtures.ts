/**
 * One creatable record of every kind, for the sync tests that go over RECORD_KINDS: a valid body,
 * and for kinds with drafts one field and a distinct valid value per number `n` (so a test can
 * tell every written value apart). Kinds created final (an addendum, a signed consent, a
 * controlled-substance log entry) have no draft: only an entered-in-error mark follows them.
 */
import type { RecordKind } from '../../shared/model';
import { uuidv7 } from '../../shared/util/ids';
import type { BodyOf } from '../../renderer/db/record-store';

export type KindIds = { patientId: string; userId: string; lotId: string; encounterId: string };

export type KindRow<K extends RecordKind = RecordKind> = {
  body: (ids: KindIds) => BodyOf<K>;
  /** Created signed: never a draft. */
  final?: true;
  /** A field the property test edits, and a distinct valid value for each n. */
  field?: string;
  value?: (n: number) => unknown;
};

export const at = (min: number) => new Date(Date.UTC(2026, 10, 21, 14, min)).toISOString();
const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const text = (n: number) => `value-${n}`;

export const KIND_ROWS: { [K in RecordKind]: KindRow<K> } = {
  patient: {
    body: () => ({ firstName: 'Maya', lastName: 'Okafor', dateOfBirth: '1987-04-12' }) as never,
    field: 'allergies',
    value: text,
  },
  user: {
    body: () => ({ displayName: 'Jo Park', username: 'jo', roles: ['therapist'] }) as never,
    field: 'displayName',
    value: text,
  },
  appointment: {
    body: (i) =>
      ({
        patientId: i.patientId,
        clinicianId: i.userId,
        start: at(0),
        durationMinutes: 60,
        visitKind: 'dosing',
      }) as never,
    field: 'durationMinutes',
    value: (n) => 5 + (n % 700),
  },
  encounter: {
    body: (i) =>
      ({
        patientId: i.patientId,
        visitKind: 'dosing',
        start: at(0),
        clinicianId: i.userId,
      }) as never,
    field: 'durationMinutes',
    value: (n) => 1 + (n % 700),
  },
  note: {
    body: (i) =>
      ({
        patientId: i.patientId,
        templateId: 'soap',
        title: 'Session',
        sections: { subjective: 'Start' },
        timeline: [],
      }) as never,
    field: 'title',
    value: text,
  },
  addendum: {
    final: true,
    body: (i) =>
      ({
        patientId: i.patientId,
        targetId: i.encounterId,
        targetKind: 'encounter',
        text: 'Vitals were taken at 14:20, not 14:10.',
        reason: 'Time corrected',
        writtenAt: at(30),
      }) as never,
  },
  'co-signature': {
    final: true,
    body: (i) =>
      ({
        patientId: i.patientId,
        noteId: i.encounterId,
        decision: 'co-signed',
        supervisorId: i.userId,
        comment: '',
        writtenAt: at(31),
      }) as never,
  },
  dose: {
    body: (i) =>
      ({
        patientId: i.patientId,
        encounterId: i.encounterId,
        medication: 'ketamine-hcl',
        route: 'iv-infusion',
        doseMg: 35,
        prescriberId: i.userId,
        administeredBy: i.userId,
      }) as never,
    field: 'doseMg',
    value: (n) => 1 + (n % 999),
  },
  eligibility: {
    body: (i) => ({ patientId: i.patientId, indication: 'trd', evaluatedAt: at(0) }) as never,
    field: 'psychiatricHistory',
    value: text,
  },
  'home-prescription': {
    body: (i) =>
      ({
        patientId: i.patientId,
        medication: 'ketamine-hcl',
        form: 'sublingual-troche',
        strengthMg: 100,
        quantity: 6,
        sessionsAllowed: 6,
        instructions: 'One troche under the tongue',
        monitorName: 'Alex Okafor',
        writtenAt: at(0),
      }) as never,
    field: 'instructions',
    value: text,
  },
  'treatment-plan': {
    body: (i) =>
      ({
        patientId: i.patientId,
        program: 'in-office-iv',
        route: 'iv-infusion',
        plannedDoses: 6,
        frequency: 'twice-a-week',
        startsOn: '2026-11-21',
        writtenAt: at(0),
      }) as never,
    field: 'goals',
    value: text,
  },
  'integration-summary': {
    body: (i) => ({ patientId: i.patientId }) as never,
    field: 'insights',
    value: text,
  },
  measure: {
    body: (i) =>
      ({
        patientId: i.patientId,
        instrument: 'phq9',
        administeredAt: at(0),
        answers: [1, 1, 1, 1, 1, 1, 1, 1, 0],
      }) as never,
    field: 'answers',
    // n in base 5, nine digits: a distinct set of answers per n.
    value: (n) => Array.from({ length: 9 }, (_, i) => Math.floor(n / 5 ** i) % 5),
  },
  'consent-template': {
    body: () =>
      ({
        templateKey: 'ketamine-iv',
        version: 1,
        title: 'IV ketamine consent',
        body: 'I consent to IV ketamine.',
        signers: ['patient'],
        validity: '12-months',
      }) as never,
    field: 'body',
    value: text,
  },
  'signed-consent': {
    final: true,
    body: (i) =>
      ({
        patientId: i.patientId,
        templateId: uuidv7(),
        templateKey: 'ketamine-iv',
        templateVersion: 1,
        title: 'IV ketamine consent',
        renderedText: 'I consent to IV ketamine.',
        signatures: [{ role: 'patient', name: 'Maya Okafor', signedAt: at(0), image: PNG }],
        signedAt: at(0),
        deviceId: 'laptop',
        contentHash: 'sha256:0',
      }) as never,
  },
  'consent-packet': {
    body: () =>
      ({
        program: 'iv-series',
        version: 1,
        name: 'IV series',
        forms: [{ templateKey: 'ketamine-iv', required: true }],
      }) as never,
    field: 'name',
    value: text,
  },
  'inventory-lot': {
    body: () =>
      ({
        medication: 'ketamine-hcl',
        productName: 'Ketamine HCl 50 mg/mL',
        lotNumber: 'L123',
        expiry: '2028-01-01',
        unit: 'ml',
      }) as never,
    field: 'productName',
    value: text,
  },
  'inventory-transaction': {
    final: true,
    body: (i) =>
      ({
        lotId: i.lotId,
        type: 'receipt',
        quantity: 10,
        occurredAt: at(0),
        performedBy: i.userId,
      }) as never,
  },
  'note-template': {
    body: () =>
      ({
        templateKey: 'soap-x',
        name: 'SOAP',
        format: 'soap',
        sections: [{ key: 's', label: 'Subjective' }],
      }) as never,
    field: 'name',
    value: text,
  },
  'clinic-settings': {
    body: () => ({ clinicName: 'Harbor Ketamine Clinic' }) as never,
    field: 'address',
    value: text,
  },
};
