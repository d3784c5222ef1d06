/**
 * Issue 14 deliverable 3: every record kind merges without loss. Two computers of one clinic edit
 * the same record while offline and come back together, both uploading before either downloads
 * (syncTogether), through the real server. For every kind in RECORD_KINDS (a kind without a row
 * in KINDS fails the test):
 *
 * - edits of different fields both stay, in one record, on both computers;
 * - edits of the same field keep both values: the record has one, and the other is kept and
 *   flagged on both computers (a note as a linked conflict copy, any other kind as a conflict in
 *   the sync panel holding the other version);
 * - readings added on both sides (vitals, observations, adverse events, rate changes, overrides
 *   of different checks) are all kept (finding 3: vitals added on B vanished);
 * - kinds created final (an addendum, a signed consent, a log entry) have no draft to merge:
 *   both computers marking one entered in error converge on one mark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyRecord, type DoseRecord, RECORD_KINDS, type RecordKind } from '../../shared/model';
import { uuidv7 } from '../../shared/util/ids';
import type { BodyOf } from '../../renderer/db/record-store';
import { openIssues } from '../../renderer/db/sync-state';
import { Device, newClinic, startServer, syncTogether } from './harness';

type Ids = { patientId: string; userId: string; lotId: string; encounterId: string };
type Row<K extends RecordKind> = {
  body: (ids: Ids) => BodyOf<K>;
  /** Created signed (never a draft): only the entered-in-error mark can follow. */
  final?: true;
  /** Two different fields and a value for each (drafts only); the clash sets `a` on both. */
  a?: [string, unknown, unknown];
  b?: [string, unknown];
};

const at = (min: number) => new Date(Date.UTC(2026, 10, 21, 14, min)).toISOString();
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

const KINDS: { [K in RecordKind]: Row<K> } = {
  patient: {
    body: () => ({ firstName: 'Maya', lastName: 'Okafor', dateOfBirth: '1987-04-12' }) as never,
    a: ['phone', '+1 555 0100', '+1 555 0199'],
    b: ['allergies', 'Penicillin'],
  },
  user: {
    body: () => ({ displayName: 'Jo Park', username: 'jo', roles: ['therapist'] }) as never,
    a: ['displayName', 'Jo Park-Lee', 'Joanne Park'],
    b: ['credentials', 'LMFT'],
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
    a: ['durationMinutes', 90, 120],
    b: ['program', 'iv-series'],
  },
  encounter: {
    body: (i) =>
      ({
        patientId: i.patientId,
        visitKind: 'dosing',
        start: at(0),
        clinicianId: i.userId,
      }) as never,
    a: ['durationMinutes', 90, 75],
    b: ['end', at(50)],
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
    a: ['sections', { subjective: 'Typed on the laptop' }, { subjective: 'Typed at the desk' }],
    b: ['title', 'Integration, week 3'],
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
    a: ['doseMg', 40, 45],
    b: ['weightKg', 72],
  },
  eligibility: {
    body: (i) => ({ patientId: i.patientId, indication: 'trd', evaluatedAt: at(0) }) as never,
    a: ['psychiatricHistory', 'Two SSRIs failed', 'MDD since 2015'],
    b: ['medicalHistory', 'Hypertension, controlled'],
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
    a: ['instructions', 'Half a troche first', 'One troche, spit after 15 minutes'],
    b: ['monitorPhone', '+1 555 0123'],
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
    a: ['goals', 'Sleep through the night', 'Return to work'],
    b: ['maintenanceIntervalWeeks', 4],
  },
  'integration-summary': {
    body: (i) => ({ patientId: i.patientId }) as never,
    a: ['insights', 'Felt connected to her father', 'Grief came up'],
    b: ['goals', 'Walk daily'],
  },
  measure: {
    body: (i) =>
      ({
        patientId: i.patientId,
        instrument: 'phq9',
        administeredAt: at(0),
        answers: [1, 1, 1, 1, 1, 1, 1, 1, 0],
      }) as never,
    a: ['answers', [2, 1, 1, 1, 1, 1, 1, 1, 0], [3, 1, 1, 1, 1, 1, 1, 1, 0]],
    b: ['encounterId', uuidv7()],
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
    a: ['body', 'I consent to IV ketamine infusions.', 'I agree to IV ketamine.'],
    b: ['title', 'Consent to IV ketamine'],
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
    a: ['name', 'IV series (adults)', 'IV infusion series'],
    b: ['retired', true],
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
    a: ['productName', 'Ketamine HCl 50 mg/mL, 10 mL vial', 'Ketalar 50 mg/mL'],
    b: ['concentrationMgPerMl', 50],
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
    a: ['name', 'SOAP (short)', 'SOAP, dosing day'],
    b: ['quickTags', ['tearful']],
  },
  'clinic-settings': {
    body: () => ({ clinicName: 'Harbor Ketamine Clinic' }) as never,
    a: ['phone', '+1 555 0100', '+1 555 0111'],
    b: ['address', '12 Harbor Road'],
  },
};

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

async function twoComputers() {
  const { clinic, enroll } = await newClinic(server.url);
  const a = await Device.create('laptop', clinic, server.url, enroll);
  const b = await Device.create('frontdesk', clinic, server.url, enroll);
  const ids: Ids = {
    patientId: uuidv7(),
    userId: clinic.user.id,
    lotId: uuidv7(),
    encounterId: uuidv7(),
  };
  return { a, b, ids, clinic };
}

/** Both offline, each edits, both come back at once: both upload before either downloads. */
async function together(a: Device, b: Device) {
  expect(await syncTogether([a, b])).toEqual([true, true]);
  for (const d of [a, b, a, b]) expect(await d.sync()).toBe(true);
}

const field = (r: AnyRecord | undefined, f: string) => (r as Record<string, unknown>)?.[f];

/** The other versions this computer keeps of a record: conflict copies and flagged conflicts. */
async function keptVersions(d: Device, kind: RecordKind, id: string): Promise<AnyRecord[]> {
  const copies = (await d.store.listKind(kind)).filter(
    (r) => (r as { conflictWith?: string }).conflictWith === id,
  );
  const flagged = (await openIssues(d.db)).filter(
    (i) => i.kind === 'merge-conflict' && i.recordId === id,
  );
  for (const i of flagged) expect(i.message).toMatch(/changed on two computers at the same time/);
  const opened = await Promise.all(flagged.map((i) => d.openRow({ ...i.lost!, id })));
  return [...copies, ...opened];
}

describe('every record kind merges without loss', () => {
  it('every kind has a row in the table', () => {
    expect(Object.keys(KINDS).sort()).toEqual([...RECORD_KINDS].sort());
  });

  for (const kind of RECORD_KINDS) {
    const row = KINDS[kind] as Row<RecordKind>;
    if (row.final) {
      it(`${kind}: created final; both computers marking it in error converge on one mark`, async () => {
        const { a, b, ids } = await twoComputers();
        try {
          const rec = await a.store.createSigned(kind, row.body(ids));
          for (const d of [a, b]) expect(await d.sync()).toBe(true);
          a.online = b.online = false;
          await a.store.markEnteredInError(kind, rec.id, 'Entered on the laptop in error');
          await b.store.markEnteredInError(kind, rec.id, 'Duplicate entry at the desk');
          a.online = b.online = true;
          await together(a, b);
          const [onA, onB] = [await a.store.get(kind, rec.id), await b.store.get(kind, rec.id)];
          expect(onA?.status).toBe('entered-in-error');
          expect(onB).toEqual(onA);
          expect(await b.snapshot()).toEqual(await a.snapshot());
          // The other mark's reason is kept and flagged on both computers.
          for (const d of [a, b]) {
            const flagged = (await openIssues(d.db)).filter((i) => i.recordId === rec.id);
            expect(flagged).toHaveLength(1);
            expect(flagged[0]!.message).toMatch(/marked entered in error on two computers/);
            const other = await d.openRow({ ...flagged[0]!.lost!, id: rec.id });
            const reasons = [onA!.enteredInError!.reason, other.enteredInError!.reason].sort();
            expect(reasons).toEqual([
              'Duplicate entry at the desk',
              'Entered on the laptop in error',
            ]);
          }
        } finally {
          await a.dispose();
          await b.dispose();
        }
      });
      continue;
    }
    const [fa, va, va2] = row.a!;
    const [fb, vb] = row.b!;

    it(`${kind}: edits of different fields on two computers both stay`, async () => {
      const { a, b, ids } = await twoComputers();
      try {
        const rec = await a.store.create(kind, row.body(ids));
        for (const d of [a, b]) expect(await d.sync()).toBe(true);
        a.online = b.online = false;
        await a.store.update(kind, rec.id, () => ({ [fa]: va }) as never);
        await b.store.update(kind, rec.id, () => ({ [fb]: vb }) as never);
        a.online = b.online = true;
        await together(a, b);
        for (const d of [a, b]) {
          const here = await d.store.get(kind, rec.id);
          expect(field(here, fa), `${d.name}: ${fa}`).toEqual(va);
          expect(field(here, fb), `${d.name}: ${fb}`).toEqual(vb);
          expect(await keptVersions(d, kind, rec.id)).toEqual([]);
        }
        expect(await b.snapshot()).toEqual(await a.snapshot());
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });

    it(`${kind}: the same field changed on two computers keeps both values, flagged`, async () => {
      const { a, b, ids } = await twoComputers();
      try {
        const rec = await a.store.create(kind, row.body(ids));
        for (const d of [a, b]) expect(await d.sync()).toBe(true);
        a.online = b.online = false;
        await a.store.update(kind, rec.id, () => ({ [fa]: va }) as never);
        await b.store.update(kind, rec.id, () => ({ [fa]: va2 }) as never);
        a.online = b.online = true;
        await together(a, b);
        expect(await b.snapshot()).toEqual(await a.snapshot());
        for (const d of [a, b]) {
          const here = await d.store.get(kind, rec.id);
          const kept = await keptVersions(d, kind, rec.id);
          expect(kept, `${d.name} keeps the other version once`).toHaveLength(1);
          const values = [field(here, fa), field(kept[0], fa)];
          expect(values, d.name).toEqual(expect.arrayContaining([va, va2]));
        }
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });
  }

  // Two computers each override the same check on one dose offline: one reason used to win
  // silently. The record keeps the later override; the other reason is kept and flagged.
  it('dose: one check overridden on two computers keeps both reasons, flagged', async () => {
    const { a, b, ids } = await twoComputers();
    try {
      const dose = (await a.store.create('dose', KINDS.dose.body(ids))) as DoseRecord;
      for (const d of [a, b]) expect(await d.sync()).toBe(true);
      a.online = b.online = false;
      const override = (reason: string, min: number) => ({
        rule: 'bp-baseline',
        values: { systolic: 168 },
        reason,
        by: ids.userId,
        at: at(min),
      });
      const onA = 'Reading repeated after rest; prescriber agreed to go ahead';
      const onB = 'Known white-coat hypertension, documented at intake';
      await a.store.update('dose', dose.id, (d) => ({
        overrides: [...d.overrides, override(onA, 3)],
      }));
      await b.store.update('dose', dose.id, (d) => ({
        overrides: [...d.overrides, override(onB, 4)],
      }));
      a.online = b.online = true;
      await together(a, b);
      expect(await b.snapshot()).toEqual(await a.snapshot());
      for (const d of [a, b]) {
        const here = (await d.store.get('dose', dose.id))!;
        const kept = await keptVersions(d, 'dose', dose.id);
        expect(kept, `${d.name} keeps the other reason once`).toHaveLength(1);
        const reasons = [...here.overrides, ...(kept[0] as DoseRecord).overrides].map(
          (o) => o.reason,
        );
        expect(reasons, d.name).toEqual(expect.arrayContaining([onA, onB]));
        expect(here.overrides.map((o) => o.reason)).toEqual([onB]);
      }
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  // Finding 3: vitals added on computer B to a dose draft A is editing vanished.
  it('dose: readings and overrides added on both computers are all kept', async () => {
    const { a, b, ids } = await twoComputers();
    try {
      const dose = (await a.store.create('dose', KINDS.dose.body(ids))) as DoseRecord;
      for (const d of [a, b]) expect(await d.sync()).toBe(true);
      a.online = b.online = false;
      const vital = (min: number, systolic: number) => ({
        at: at(min),
        systolic,
        diastolic: 80,
        heartRate: 72,
        label: 'interval' as const,
      });
      const override = (rule: string, min: number) => ({
        rule,
        reason: `Discussed with the prescriber (${rule})`,
        by: ids.userId,
        at: at(min),
      });
      await a.store.update('dose', dose.id, (d) => ({
        doseMg: 40,
        vitals: [...d.vitals, vital(5, 128)],
        observations: [...d.observations, { at: at(5), moaas: 4 }],
        rateChanges: [...d.rateChanges, { at: at(10), mgPerHour: 0, reason: 'BP rise' }],
        boluses: [...d.boluses, { at: at(12), mg: 5, reason: 'Breakthrough dissociation fading' }],
        overrides: [...d.overrides, override('weight-age', 1)],
      }));
      await b.store.update('dose', dose.id, (d) => ({
        vitals: [...d.vitals, vital(15, 134), vital(30, 126)],
        observations: [...d.observations, { at: at(15), cadss: 12 }],
        boluses: [...d.boluses, { at: at(25), mg: 10, reason: 'Target dissociation not reached' }],
        adverseEvents: [
          ...d.adverseEvents,
          { at: at(20), kind: 'nausea' as const, severity: 'mild' as const, serious: false },
        ],
        overrides: [...d.overrides, override('bp-baseline', 2)],
      }));
      a.online = b.online = true;
      await together(a, b);
      expect(await b.snapshot()).toEqual(await a.snapshot());
      for (const d of [a, b]) {
        const here = (await d.store.get('dose', dose.id))!;
        expect(here.doseMg).toBe(40);
        expect(here.vitals.map((v) => v.systolic)).toEqual([128, 134, 126]);
        expect(here.observations).toHaveLength(2);
        expect(here.rateChanges).toHaveLength(1);
        expect(here.boluses.map((x) => x.mg)).toEqual([5, 10]);
        expect(here.adverseEvents.map((e) => e.kind)).toEqual(['nausea']);
        expect(here.overrides.map((o) => o.rule).sort()).toEqual(['bp-baseline', 'weight-age']);
        expect(await keptVersions(d, 'dose', dose.id)).toEqual([]);
      }
      // Replayed (a quarantine retry, an epoch change): nothing doubles.
      await b.rewindCursor(100);
      expect(await b.sync()).toBe(true);
      expect((await b.store.get('dose', dose.id))!.vitals).toHaveLength(3);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
