/**
 * Three devices of one clinic chart through a real sync server while going offline, losing push
 * responses, restarting, receiving pages twice, running with clocks minutes to hours off, seeing
 * the server restored (a new epoch, in place or from an older backup: everything re-offered and
 * replayed), having a pulled bundle damaged in transit (quarantined) and retried, losing their
 * sync credentials and re-enrolling (a new device id, the old one revoked, everything re-offered),
 * and editing records of every kind. Whatever the schedule, once every device is back online, the clocks
 * agree and every device has synced: all hold identical records, nothing waits, every signed note
 * still says what was signed, no version is lost (a value nobody overwrote knowingly is in the
 * record, in a conflict copy or in a flagged conflict) and none is multiplied (one record per
 * record created, each reading once). SYNC.md rules 4–9; issue 6 "Tests that prove it"; issue 14
 * deliverable 8.
 *
 * CI runs 160 schedules. More: SYNC_PROPERTY_RUNS=5000 npx vitest run tests/sync/convergence.test.ts
 * (a fixed seed to replay a failure: SYNC_PROPERTY_SEED=<seed printed by fast-check>).
 */
import { cp, rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnyRecord,
  type DoseRecord,
  RECORD_KINDS,
  type RecordKind,
  type SessionNote,
} from '../../shared/model';
import { canonicalJson } from '../../shared/crypto/hash';
import { fromBase64, toBase64 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { listHeld } from '../../renderer/db/sync-held';
import { openIssues } from '../../renderer/db/sync-state';
import { retryQuarantined } from '../../renderer/sync/key-refresh';
import { Device, newClinic, startServer, syncTogether } from './harness';
import { KIND_ROWS, type KindIds, at } from './record-kinds.fixtures';

type Op =
  | { t: 'create' | 'sync' | 'offline' | 'online' | 'lose' | 'restart'; d: number }
  | { t: 'edit' | 'retitle' | 'sign' | 'eie'; d: number; pick: number }
  | { t: 'rewind'; d: number; by: number }
  /** Devices `d` and `with` (all three when equal) sync at once: both pull, then both push. */
  | { t: 'together'; d: number; with: number }
  /** Create (`create`) or edit a record of another kind; a final kind is marked in error instead. */
  | { t: 'kind'; d: number; k: number; create: boolean; pick: number }
  /** A reading added to a dose draft. */
  | { t: 'vital'; d: number; pick: number }
  /** This computer's clock runs `minutes` off from now on. */
  | { t: 'skew'; d: number; minutes: number }
  /** The server: restored in place (new epoch), backed up, or restored from that backup. */
  | { t: 'epoch' | 'backup' | 'restore' }
  /** The next page this computer pulls has a bundle damaged in transit (quarantined). */
  | { t: 'corrupt'; d: number }
  /** Quarantined bundles pulled again (the cursor rewinds to them: everything after replays). */
  | { t: 'retry'; d: number }
  /**
   * This computer's keychain loses its sync credentials and it connects again with a new
   * enrollment code (issue 14 point 4): same records and outbox, a new device id, the old one
   * revoked on the server, everything it holds offered again.
   */
  | { t: 'reenroll'; d: number };

const OTHER_KINDS = RECORD_KINDS.filter((k) => k !== 'note');

const device = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(20);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('create' as const), d: device }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('edit' as const), d: device, pick }) },
  // A second field of the same drafts: per-field merge keeps concurrent edits of both.
  { weight: 3, arbitrary: fc.record({ t: fc.constant('retitle' as const), d: device, pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('sign' as const), d: device, pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('eie' as const), d: device, pick }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('sync' as const), d: device }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constantFrom(
        'offline' as const,
        'online' as const,
        'lose' as const,
        'restart' as const,
      ),
      d: device,
    }),
  },
  // Computers coming back online at the same moment upload before either downloads (issue 14
  // finding 0): a `sync` op pulls then pushes alone, so without this no schedule had two pushes
  // made without either device having pulled the other's change.
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('together' as const), d: device, with: device }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('kind' as const),
      d: device,
      k: fc.nat(1),
      // Mostly edits of records already made, so that computers meet on the same ones.
      create: fc.constantFrom(true, false, false),
      pick,
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('vital' as const), d: device, pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('skew' as const),
      d: device,
      minutes: fc.constantFrom(-180, -45, -6, 0, 6, 20, 90, 240),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constantFrom('epoch' as const, 'backup' as const, 'restore' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constantFrom('corrupt' as const, 'retry' as const), d: device }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reenroll' as const), d: device }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('rewind' as const),
      d: device,
      by: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 160);
const SEED = process.env.SYNC_PROPERTY_SEED ? Number(process.env.SYNC_PROPERTY_SEED) : undefined;
/**
 * A run of a seed: fast-check's `path` ("3509" is the 3,510th run); with SYNC_PROPERTY_RUNS=1 only
 * that one, else fast-check goes on with the runs after it.
 */
const PATH = process.env.SYNC_PROPERTY_PATH;
/**
 * Runs before this index are generated (the same values as in a full run of the seed) but not
 * played, so a failure that depends on the schedules just before it replays with a few of them:
 * SYNC_PROPERTY_SEED=<seed> SYNC_PROPERTY_FROM=3505 SYNC_PROPERTY_RUNS=3510.
 */
const FROM = Number(process.env.SYNC_PROPERTY_FROM ?? 0);
let previous: Promise<unknown> = Promise.resolve();
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
  await rm(`${server.dir}-backup`, { recursive: true, force: true });
});

/** Stop the server and start it again on its folder, as restored from a backup (a new epoch). */
async function restoreServer(fromBackup: boolean) {
  const { dir, port } = server;
  await server.close(true);
  if (fromBackup) {
    await rm(dir, { recursive: true, force: true });
    await cp(`${dir}-backup`, dir, { recursive: true });
  }
  server = await startServer({ dir, port, restored: true });
}

async function backupServer() {
  const { dir, port } = server;
  await server.close(true);
  await rm(`${dir}-backup`, { recursive: true, force: true });
  await cp(dir, `${dir}-backup`, { recursive: true });
  server = await startServer({ dir, port });
}

/** A pull answered with the last bundle's final byte flipped: its tag no longer verifies. */
function damageNextPull(dev: Device) {
  const before = dev.intercept;
  dev.intercept = async (url, init, send) => {
    const res = await (before ? before(url, init, send) : send());
    if ((init?.method ?? 'GET') !== 'GET' || !/\/v1\/bundles\?after=/.test(url) || !res.ok)
      return res;
    const page = (await res.json()) as { bundles: { bytes: string }[] };
    const last = page.bundles[page.bundles.length - 1];
    if (last) {
      const bytes = fromBase64(last.bytes);
      bytes.set([bytes[bytes.length - 1]! ^ 0xff], bytes.length - 1);
      last.bytes = toBase64(bytes);
      dev.intercept = before;
    }
    return new Response(JSON.stringify(page), { status: res.status, headers: res.headers });
  };
}

const patientId = uuidv7();

async function runSchedule(ops: Op[], kinds: RecordKind[] = ['dose']) {
  const { clinic, enroll, code, adminReplaced } = await newClinic(server.url);
  let backedUp = false;
  /**
   * A server restored from a backup older than a re-enrollment does not know the new device (the
   * computer would have to be re-enrolled again, by hand): such restores are left out.
   */
  let reenrolledSinceBackup = false;
  /** The computer that makes enrollment codes (the first enrolled; its successor once re-enrolled). */
  const adminDevice = 0;
  const ids: KindIds = {
    patientId: uuidv7(),
    userId: clinic.user.id,
    lotId: uuidv7(),
    encounterId: uuidv7(),
  };
  /** Records created per kind (each must be there once at the end), by id. */
  const created = new Map<string, RecordKind>();
  /** Values written per record (id → canonical value) and those overwritten knowingly. */
  const values = new Map<string, Set<string>>();
  const overwritten = new Map<string, Set<string>>();
  const readings = new Map<string, number[]>();
  const add = (m: Map<string, Set<string>>, id: string, v: string) =>
    m.set(id, (m.get(id) ?? new Set()).add(v));
  let skewAhead = 0;
  let noteWrites = 0;
  const devices = [
    await Device.create('laptop', clinic, server.url, enroll),
    await Device.create('frontdesk', clinic, server.url, enroll),
    await Device.create('tablet', clinic, server.url, enroll),
  ];
  const origin = new Map<string, number>();
  const written = new Set<string>();
  const superseded = new Set<string>();
  const signedText = new Map<string, string>();
  const titles = new Set<string>();
  const supersededTitles = new Set<string>();
  let n = 0;
  const text = (note: SessionNote) => note.sections.subjective ?? '';
  const field = (r: AnyRecord | undefined, f: string) => (r as Record<string, unknown>)?.[f];
  const draftsOn = async (d: number, own: boolean) =>
    (await devices[d]!.store.listKind('note'))
      .filter((x) => x.status === 'draft' && (!own || origin.get(x.id) === d))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  try {
    for (const o of ops) {
      const dev = devices['d' in o ? o.d : 0]!;
      switch (o.t) {
        case 'create': {
          noteWrites++;
          const t = `text-${n++}`;
          const note = await dev.store.create('note', {
            patientId,
            templateId: 'soap',
            title: 'Session',
            sections: { subjective: t },
            timeline: [],
          });
          origin.set(note.id, o.d);
          written.add(t);
          break;
        }
        case 'edit': {
          noteWrites++;
          const notes = await draftsOn(o.d, false);
          const note = notes[o.pick % Math.max(1, notes.length)];
          if (!note) break;
          const t = `text-${n++}`;
          superseded.add(text(note));
          await dev.store.update('note', note.id, () => ({ sections: { subjective: t } }));
          written.add(t);
          break;
        }
        case 'retitle': {
          noteWrites++;
          const notes = await draftsOn(o.d, false);
          const note = notes[o.pick % Math.max(1, notes.length)];
          if (!note) break;
          const t = `title-${n++}`;
          supersededTitles.add(note.title);
          await dev.store.update('note', note.id, () => ({ title: t }));
          titles.add(t);
          break;
        }
        case 'sign':
        case 'eie': {
          // A note is signed (or voided) by its author, on the device where it was written.
          const notes = await draftsOn(o.d, true);
          const note = notes[o.pick % Math.max(1, notes.length)];
          if (!note) break;
          noteWrites++;
          if (o.t === 'sign') await dev.store.sign('note', note.id);
          else await dev.store.markEnteredInError('note', note.id, 'Charted on the wrong patient');
          signedText.set(note.id, text(note));
          break;
        }
        case 'sync':
          await dev.sync();
          break;
        case 'offline':
          dev.online = false;
          break;
        case 'online':
          dev.online = true;
          break;
        case 'lose':
          dev.loseNextPushResponse = true;
          break;
        case 'restart':
          await dev.restartFromDisk();
          break;
        case 'rewind':
          await dev.rewindCursor(o.by);
          break;
        case 'together':
          await syncTogether(o.d === o.with ? devices : [dev, devices[o.with]!]);
          break;
        case 'kind': {
          const kind = kinds[o.k % kinds.length]!;
          const row = KIND_ROWS[kind];
          const mine = (await dev.store.listKind(kind))
            .filter((r) => r.status !== 'entered-in-error' && created.has(r.id))
            .sort((a, b) => (a.id < b.id ? -1 : 1));
          const target = mine[o.pick % Math.max(1, mine.length)];
          if (o.create || !target) {
            const body = row.body(ids) as never;
            const rec = row.final
              ? await dev.store.createSigned(kind, body)
              : await dev.store.create(kind, body);
            created.set(rec.id, kind);
          } else if (row.final) {
            await dev.store.markEnteredInError(kind, target.id, `Entered in error ${n++}`);
          } else {
            const v = row.value!(n++);
            add(overwritten, target.id, canonicalJson(field(target, row.field!) ?? null));
            await dev.store.update(kind, target.id, () => ({ [row.field!]: v }) as never);
            add(values, target.id, canonicalJson(v));
          }
          break;
        }
        case 'vital': {
          const doses = (await dev.store.listKind('dose'))
            .filter((r) => r.status === 'draft' && created.has(r.id))
            .sort((a, b) => (a.id < b.id ? -1 : 1));
          const dose = doses[o.pick % Math.max(1, doses.length)];
          if (!dose) {
            const made = await dev.store.create('dose', KIND_ROWS.dose.body(ids));
            created.set(made.id, 'dose');
            break;
          }
          const systolic = 60 + (n++ % 240);
          await dev.store.update('dose', dose.id, (d: DoseRecord) => ({
            vitals: [
              ...d.vitals,
              {
                at: at(n % 600),
                systolic,
                diastolic: 80,
                heartRate: 70,
                label: 'interval' as const,
              },
            ],
          }));
          readings.set(dose.id, [...(readings.get(dose.id) ?? []), systolic]);
          break;
        }
        case 'skew':
          dev.wallOffsetMs = o.minutes * 60_000;
          skewAhead = Math.max(skewAhead, dev.wallOffsetMs);
          break;
        case 'epoch':
          await restoreServer(false);
          break;
        case 'backup':
          await backupServer();
          backedUp = true;
          reenrolledSinceBackup = false;
          break;
        case 'restore':
          // Only to a backup of this clinic's server (an earlier schedule's would not know it).
          if (backedUp && !reenrolledSinceBackup) await restoreServer(true);
          break;
        case 'corrupt':
          damageNextPull(dev);
          break;
        case 'retry':
          await retryQuarantined(dev.db, [1]);
          break;
        case 'reenroll': {
          const admin = o.d === adminDevice;
          const newCode = await code(admin);
          let again: Awaited<ReturnType<Device['reenroll']>>;
          try {
            again = await dev.reenroll(newCode);
          } catch (e) {
            // Offline: it cannot connect again now; nothing on it changed.
            if (e instanceof Error && /cannot be reached/.test(e.message)) break;
            throw e;
          }
          if (admin) adminReplaced(again.token);
          reenrolledSinceBackup = true;
          // A stale copy of the lost keychain is refused from now on.
          await expect(again.stale.syncOnce()).rejects.toThrow(/removed|revoked/i);
          break;
        }
      }
    }
    // Back online, time has passed and the clocks agree: every device's clock reads at least
    // what the fastest one stamped (an HLC never goes back, so the others wait until then).
    for (const dev of devices) {
      dev.online = true;
      dev.loseNextPushResponse = false;
      dev.wallOffsetMs = skewAhead + 10 * 60_000;
      dev.intercept = undefined; // a damage not yet met
      await retryQuarantined(dev.db, [1]);
    }
    for (let round = 0; round < 4; round++)
      for (const dev of devices) expect(await dev.sync()).toBe(true);

    const snapshots = await Promise.all(devices.map((d) => d.snapshot()));
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[2]).toEqual(snapshots[0]);
    for (const dev of devices) {
      expect(await dev.db.outbox.count()).toBe(0);
      expect(await listHeld(dev.db), `${dev.name}: changes still waiting`).toEqual([]);
    }

    // Nothing multiplied: every record created is there once; copies only of notes.
    const all = [...snapshots[0]!.values()].map((j) => JSON.parse(j) as AnyRecord);
    for (const [id, kind] of created) expect(all.find((r) => r.id === id)?.kind).toBe(kind);
    const copies = all.filter((r) => (r as { conflictWith?: string }).conflictWith);
    expect(copies.every((r) => r.kind === 'note')).toBe(true);
    expect(all.filter((r) => r.kind === 'note' && !copies.includes(r))).toHaveLength(origin.size);
    expect(all).toHaveLength(origin.size + copies.length + created.size);
    // A copy per conflict at most, never a flood of them (replays made 40 before).
    expect(copies.length).toBeLessThanOrEqual(noteWrites);
    // Each reading once.
    for (const [id, sys] of readings) {
      const dose = all.find((r) => r.id === id) as DoseRecord;
      expect(dose.vitals.map((v) => v.systolic).sort()).toEqual([...sys].sort());
    }
    // No value lost: in the record, or kept with a flagged conflict on some computer.
    const flagged = new Map<string, Set<string>>();
    for (const dev of devices)
      for (const i of await openIssues(dev.db))
        if (i.kind === 'merge-conflict' && i.lost && i.recordId) {
          const lost = await dev.openRow({ ...i.lost, id: i.recordId });
          const row = KIND_ROWS[lost.kind];
          if (row.field) add(flagged, i.recordId, canonicalJson(field(lost, row.field) ?? null));
        }
    for (const [id, written] of values) {
      const rec = all.find((r) => r.id === id)!;
      const row = KIND_ROWS[rec.kind];
      const now = canonicalJson(field(rec, row.field!) ?? null);
      for (const v of written)
        if (!overwritten.get(id)?.has(v) && v !== now)
          expect(flagged.get(id), `${rec.kind} ${row.field} ${v} was lost`).toContain(v);
    }

    const finalNotes = await devices[0]!.store.listKind('note');
    for (const [id, t] of signedText) {
      const note = finalNotes.find((x) => x.id === id);
      expect(note?.status).not.toBe('draft');
      expect(note && text(note)).toBe(t);
    }
    const present = new Set(finalNotes.map(text));
    for (const t of written)
      if (!superseded.has(t)) expect(present, `draft text ${t} was lost`).toContain(t);
    const presentTitles = new Set(finalNotes.map((x) => x.title));
    for (const t of titles)
      if (!supersededTitles.has(t)) expect(presentTitles, `title ${t} was lost`).toContain(t);
  } finally {
    for (const dev of devices) await dev.dispose();
  }
}

describe('three devices syncing through a real server', () => {
  it(
    'converge to identical records without altering signed notes or losing draft text',
    async () => {
      await fc.assert(
        // Each schedule edits one or two other kinds besides notes, so that computers meet on
        // the same records (all of RECORD_KINDS over the runs).
        fc.asyncProperty(
          fc.array(op, { minLength: 5, maxLength: 40 }),
          fc.shuffledSubarray(OTHER_KINDS, { minLength: 1, maxLength: 2 }),
          (() => {
            let index = 0;
            return async (ops: Op[], kinds: RecordKind[]) => {
              if (index++ < FROM) return;
              // A schedule fast-check gave up on (timeout) goes on running: the next one (a
              // shrink) waits for it. Overlapping, the old one's restore from its backup can put
              // back a spent setup token between the new one's renewal and its registration — the
              // likely cause of a 403 setup-token-spent once in a 5,000-run (not reproduced: the
              // 100 schedules before it replay green) — and it restarts the server under it.
              await previous;
              const run = runSchedule(ops, kinds);
              previous = run.catch(() => undefined);
              await run;
            };
          })(),
        ),
        // Generous: the whole suite runs files side by side on two cores; a run's time swings.
        {
          numRuns: RUNS,
          timeout: 60_000,
          ...(SEED === undefined ? {} : { seed: SEED }),
          ...(PATH === undefined ? {} : { path: PATH }),
        },
      );
    },
    Math.max(900_000, RUNS * 4_000),
  );

  // Found by the property above: the laptop merges the tablet's retitle into its own edit, and the
  // merged version carries the tablet's clock; the tablet, which meanwhile rewrote the same text,
  // took that clock for its own write and dropped the laptop's text without a copy.
  it("keeps text merged on another device under this device's clock", async () => {
    await runSchedule([
      { t: 'create', d: 2 },
      { t: 'create', d: 0 },
      { t: 'sync', d: 2 },
      { t: 'sync', d: 0 },
      { t: 'edit', d: 0, pick: 0 },
      { t: 'retitle', d: 2, pick: 0 },
      { t: 'edit', d: 0, pick: 9 },
      { t: 'sync', d: 2 },
      { t: 'edit', d: 2, pick: 0 },
      { t: 'edit', d: 0, pick: 7 },
      { t: 'create', d: 0 },
    ]);
  });

  // Also found by the property: the tablet merges the laptop's retitle into its unsent edit; the
  // front desk does the same with its own edit, and its merge reaches the tablet under the very
  // clock the tablet had just taken in. Neither "seen that clock" nor a base that counted the
  // tablet's unsent edit as agreed may hide that both rewrote the text.
  it('keeps both texts when two merges of one draft arrive under one clock', async () => {
    await runSchedule([
      { t: 'create', d: 0 },
      { t: 'sync', d: 0 },
      { t: 'sync', d: 1 },
      { t: 'sync', d: 2 },
      { t: 'edit', d: 2, pick: 0 },
      { t: 'edit', d: 1, pick: 0 },
      { t: 'retitle', d: 0, pick: 0 },
      { t: 'retitle', d: 0, pick: 0 },
      { t: 'create', d: 0 },
      { t: 'sync', d: 0 },
    ]);
  });

  it('edits of different fields of one draft on two devices both stay, in one note', async () => {
    const { clinic, enroll } = await newClinic(server.url);
    const a = await Device.create('laptop', clinic, server.url, enroll);
    const b = await Device.create('frontdesk', clinic, server.url, enroll);
    try {
      const note = await a.store.create('note', {
        patientId,
        templateId: 'soap',
        title: 'Session',
        sections: { subjective: 'Start' },
        timeline: [],
      });
      expect(await a.sync()).toBe(true);
      expect(await b.sync()).toBe(true);
      a.online = b.online = false;
      await a.store.update('note', note.id, () => ({
        sections: { subjective: 'Typed on the laptop' },
      }));
      await b.store.update('note', note.id, () => ({ title: 'Integration, week 3' }));
      a.online = b.online = true;
      for (const d of [a, b, a]) expect(await d.sync()).toBe(true);
      for (const d of [a, b]) {
        const notes = await d.store.listKind('note');
        expect(notes).toHaveLength(1); // merged, so no conflict copy
        expect(notes[0]).toMatchObject({
          title: 'Integration, week 3',
          sections: { subjective: 'Typed on the laptop' },
        });
      }
      expect(await b.snapshot()).toEqual(await a.snapshot());
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  // Issue 14 finding 0: the same draft edited offline on two computers, which come back together
  // and both upload before either downloads. Each ended with one text only, no copy.
  it('keeps both texts when two computers upload the same draft before either downloads', async () => {
    await runSchedule([
      { t: 'create', d: 0 },
      { t: 'sync', d: 0 },
      { t: 'sync', d: 1 },
      { t: 'offline', d: 0 },
      { t: 'offline', d: 1 },
      { t: 'edit', d: 0, pick: 0 },
      { t: 'edit', d: 1, pick: 0 },
      { t: 'online', d: 0 },
      { t: 'online', d: 1 },
      { t: 'together', d: 0, with: 1 },
    ]);
  });

  // Issue 14 deliverable 8: a computer whose keychain lost its credentials re-enrolls while it
  // holds unsent edits and a push the server committed but never acknowledged; the administrator's
  // computer re-enrolls too. Everything converges, once.
  it('re-enrolled computers re-offer their outbox without losing or multiplying', async () => {
    await runSchedule([
      { t: 'create', d: 1 },
      { t: 'sync', d: 1 },
      { t: 'sync', d: 0 },
      { t: 'edit', d: 1, pick: 0 },
      { t: 'lose', d: 1 },
      { t: 'sync', d: 1 },
      { t: 'edit', d: 0, pick: 0 },
      { t: 'vital', d: 1, pick: 0 },
      { t: 'reenroll', d: 1 },
      { t: 'reenroll', d: 0 },
      { t: 'together', d: 0, with: 1 },
      { t: 'reenroll', d: 2 },
    ]);
  });

  it('a two-device edit race keeps both texts, linked', async () => {
    await runSchedule([
      { t: 'create', d: 0 },
      { t: 'sync', d: 0 },
      { t: 'sync', d: 1 },
      { t: 'edit', d: 0, pick: 0 },
      { t: 'edit', d: 1, pick: 0 },
      { t: 'sync', d: 0 },
      { t: 'sync', d: 1 },
    ]);
  });
});
