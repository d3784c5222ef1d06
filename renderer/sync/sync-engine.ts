/**
 * One sync round: pull every page after the cursor (verify, decrypt, apply with the cursor in one
 * transaction), then push the outbox as signed, encrypted bundles. Runs on the main thread behind
 * this class; it needs only the database, the open data key and the device secrets, so moving it
 * into a worker later changes no caller.
 *
 * Durable outbox (SYNC.md rule 6): a bundle is persisted as "in flight" with its id and bytes
 * before it is sent; a retry sends the same bytes, the server dedupes by id, and only after the
 * acknowledgement are the outbox rows it carried deleted — only rows at or below the pushed
 * sequence that belong to records it carried, so edits made meanwhile stay pending.
 */
import { AUDIT_EVENT_KIND, type AnyRecord } from '../../shared/model';
import { type BundleChange, BundleRejectedError, splitChanges } from '../../shared/sync/bundle';
import { importPublicKey } from '../../shared/sync/device-keys';
import { LIMITS, type PullPage } from '../../shared/sync/protocol';
import { fromBase64 } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { isAuditOutboxRow } from '../db/audit-outbox';
import { dueHeld } from '../db/sync-held';
import { bulkGetExisting } from '../db/bulk-read';
import { auditChangesFor, reofferOwnAuditEvents } from '../db/audit-sync';
import type { KatDatabase, OutboxRow } from '../db/database';
import { encryptRecord, indexFields, openRecordRow } from '../db/record-crypto';
import { type ApplyContext, type RemoteBundle, applyRemotePage } from '../db/sync-apply';
import {
  type SyncConfig,
  type SyncPosition,
  addSeen,
  readPosition,
  seenVector,
  syncTables,
  writePosition,
} from '../db/sync-state';
import { vvJoin, vvOf, vvToList } from '../../shared/sync/version-vector';
import { type BundleCodec, defaultCodec } from './bundle-codec';
import { type FieldBase, localClocks } from './field-clocks';
import type { DeviceSecrets } from './device-credentials';
import { chainStateOf } from '../trust/chain-store';
import { DEFER, type Waiting, authorForPush, noteWaitingForWriter } from '../trust/authors';
import type { Session } from '../db/session';
import { type Fetch, ServerClient } from './server-client';
import { downloadKeyBlobs, uploadKeyBlobs } from './key-blobs';
import { noteOwnClock } from './own-clock';

export type SyncRoundReport = {
  pulled: number;
  applied: number;
  pushed: number;
  quarantined: number;
  conflicts: number;
  rejected: number;
  /** Changes held by this round for a retry, and held changes it applied at last. */
  held: number;
  released: number;
  epochChanged: boolean;
};

/** Bundles that cannot be opened yet, and what clears that (sync-held.ts). */
const HOLD_WORDS = {
  'unknown-key-version': {
    reason: 'unknown-key-version',
    message:
      'Changes from another computer are sealed under a clinic key this computer does not have ' +
      'yet. They wait here and apply once the key arrives (it comes with the next sync after an ' +
      'administrator’s computer has synced).',
  },
  'unknown-device': {
    reason: 'unknown-device',
    message:
      'Changes came from a computer this one does not know yet (the clinic server does not list ' +
      'it). They wait here and apply once the server lists that computer.',
  },
} as const;

type InFlight = {
  bundleId: string;
  bytes: Uint8Array;
  /** Per record: its clock, and for a draft what the server now holds of it (the new base). */
  sent: { recordId: string; hlc: string; base?: FieldBase; audit?: true }[];
  /**
   * The outbox rows this bundle settles: every row of a carried record that was read before the
   * record's state was. A later row of the same record stays and sends it again (idempotent).
   */
  seqs?: number[];
  /** Bundles persisted before `seqs` existed: every carried record's rows up to here. */
  maxSeq: number;
  afterCursor: number;
};

export type SyncEngineDeps = {
  db: KatDatabase;
  context: Omit<ApplyContext, 'db'>;
  config: SyncConfig;
  secrets: DeviceSecrets;
  fetch?: Fetch;
  /** Records written from other devices (the patient index listens). */
  onApplied?: (records: AnyRecord[]) => void;
  /** Bundle split limits, smaller in tests. */
  split?: { maxChanges?: number; maxBytes?: number };
  /** Where bundles are built and opened: the app's worker by default, inline where none exists. */
  codec?: BundleCodec;
  /**
   * The clinic data key of a key version, for opening pulled bundles. Defaults to the context's
   * one key; a keyring (several versions after a rotation) plugs in here.
   */
  dataKeyFor?: (keyVersion: number) => CryptoKey | undefined | Promise<CryptoKey | undefined>;
  /** The version new bundles are sealed under (a keyring's active one); the context's by default. */
  sealWith?: () => { keyVersion: number; dataKey: CryptoKey };
  /**
   * True while new bundles must wait (issue 13: the chain announced a key version this computer
   * does not hold yet, and nothing new goes out under an older one). A bundle already in flight
   * is still sent as it was sealed.
   */
  holdPush?: () => Promise<boolean>;
  /**
   * Who is signed in, to sign a version merged here (renderer/trust/authors.ts). Defaults to the
   * context when it is the session (as the app runs it); versions written here carry the
   * signature their writer made, whoever is signed in.
   */
  session?: Pick<Session, 'user' | 'identity'>;
};

/** Outbox rows read per step while filling one bundle (at most; fewer for small bundles). */
const OUTBOX_CHUNK = 256;

export class SyncEngine {
  private publicKeys = new Map<string, CryptoKey>();
  /** The chain's key each computer in `publicKeys` was taken from, when the chain enrolls it. */
  private chainKeys = new Map<string, string>();
  private readonly codec: BundleCodec;
  /** Records whose change waits for a member who may vouch for it (authors.ts, DEFER). */
  private readonly deferred = new Set<string>();
  /** Of those, the ones no member signed in here may sign: waiting for their writer. */
  private readonly waiting = new Map<string, Waiting>();
  /** Members' signing keys as the keyring rows here hold them, read once a round (authors.ts). */
  private readonly rowKeys = new Map<string, string | undefined>();

  constructor(private readonly deps: SyncEngineDeps) {
    this.codec = deps.codec ?? defaultCodec();
  }

  client(signal?: AbortSignal) {
    const { config, secrets, fetch } = this.deps;
    return new ServerClient(config.serverUrl, secrets.token, fetch, signal);
  }

  async syncOnce(signal?: AbortSignal): Promise<SyncRoundReport> {
    const client = this.client(signal);
    const report: SyncRoundReport = {
      pulled: 0,
      applied: 0,
      pushed: 0,
      quarantined: 0,
      conflicts: 0,
      rejected: 0,
      held: 0,
      released: 0,
      epochChanged: false,
    };
    await this.pull(client, report);
    await this.retryHeld(client, report);
    await this.push(client, report);
    const { db, config, context } = this.deps;
    await noteWaitingForWriter(db, [...this.waiting.values()]);
    const listing = await uploadKeyBlobs(db, client, config.clinicId);
    await downloadKeyBlobs(db, client, config.clinicId, context, { listing });
    return report;
  }

  private async pull(client: ServerClient, report: SyncRoundReport) {
    const { db } = this.deps;
    let position = await this.position();
    let fetching = client.pull(position.cursor);
    let first = true;
    for (;;) {
      const page = await fetching;
      if (first) await noteOwnClock(db, this.deps.context.clock, page.time);
      first = false;
      if (page.epoch !== position.epoch || position.cursor > page.head) {
        await this.reofferEverything(page.epoch);
        report.epochChanged = true;
        position = await this.position();
        fetching = client.pull(position.cursor);
        continue;
      }
      const more = page.hasMore && page.cursor !== position.cursor;
      // Fetch the next page while this one is verified and written: the network and the database
      // overlap instead of taking turns. A failure surfaces when (if) the page is awaited.
      if (more) {
        fetching = client.pull(page.cursor);
        fetching.catch(() => undefined);
      }
      const bundles = await this.decodePage(client, page, report);
      const result = await applyRemotePage({ db, ...this.deps.context }, bundles, {
        cursor: page.cursor,
        epoch: page.epoch,
      });
      report.pulled += page.bundles.length;
      report.applied += result.written.length;
      report.conflicts += result.conflicts;
      report.rejected += result.rejected;
      report.held += result.held;
      if (result.written.length) this.deps.onApplied?.(result.written);
      if (!more) return;
      position = { cursor: page.cursor, epoch: page.epoch };
    }
  }

  private async position(): Promise<SyncPosition> {
    return (await readPosition(this.deps.db)) ?? { cursor: 0, epoch: '' };
  }

  private async decodePage(
    client: ServerClient,
    page: PullPage,
    report: SyncRoundReport,
  ): Promise<RemoteBundle[]> {
    const { config } = this.deps;
    const theirs = page.bundles.filter((b) => b.deviceId !== config.deviceId); // ours: applied here
    // Learn the senders' keys first: a network failure here fails the round (retried later)
    // instead of quarantining a good bundle as coming from an unknown device.
    await this.learnDevices(
      client,
      theirs.map((b) => b.deviceId),
    );
    // Decode the whole page at once: with a worker, the work queues there while this thread waits.
    const out = await Promise.all(
      theirs.map((b) =>
        this.open(fromBase64(b.bytes), {
          seq: b.seq,
          bundleId: b.bundleId,
          fromDevice: b.deviceId,
        }),
      ),
    );
    report.quarantined += out.filter((b) => b.quarantine).length;
    return out;
  }

  /**
   * Verifies and decrypts one bundle. One that cannot be opened YET (sealed under a key version,
   * or signed by a device, this computer does not know yet) comes back to be held; one that can
   * never be opened (bad signature or tag, malformed, another clinic) to be quarantined.
   */
  private async open(
    bytes: Uint8Array,
    meta: Pick<RemoteBundle, 'seq' | 'bundleId' | 'fromDevice'>,
  ): Promise<RemoteBundle> {
    const { config, context } = this.deps;
    const dataKeyFor =
      this.deps.dataKeyFor ??
      ((v: number) => (v === context.keyVersion ? context.dataKey : undefined));
    try {
      const { changes } = await this.codec.decode(bytes, {
        clinicId: config.clinicId,
        dataKeyFor,
        publicKeyFor: (id) => this.publicKeys.get(id),
      });
      return { ...meta, bytes, changes };
    } catch (e) {
      if (!(e instanceof BundleRejectedError)) throw e;
      const hold = HOLD_WORDS[e.reason as keyof typeof HOLD_WORDS];
      if (hold) return { ...meta, bytes, changes: [], hold };
      return { ...meta, bytes, changes: [], quarantine: e.message };
    }
  }

  /**
   * Held changes whose time has come are tried again (sync-held.ts): each bundle is opened anew
   * with the keys and devices known now, and what applies is applied; what still cannot waits.
   * Nothing moves the cursor here: these sit below it.
   */
  private async retryHeld(client: ServerClient, report: SyncRoundReport) {
    const { db } = this.deps;
    const due = await dueHeld(db, this.deps.context.clock.wallNow());
    if (!due.length) return;
    await this.learnDevices(
      client,
      due.map((h) => h.fromDevice),
    ).catch(() => undefined); // an unknown device simply stays held this round
    const bundles = await Promise.all(
      due.map(async (h) => {
        const opened = await this.open(h.bytes, h);
        const wanted = h.whole ? undefined : new Set(h.changes?.map((c) => c.changeId));
        const changes = wanted
          ? opened.changes.filter((c) => wanted.has(c.changeId))
          : opened.changes;
        return { ...opened, changes, retrying: h };
      }),
    );
    const result = await applyRemotePage({ db, ...this.deps.context }, bundles, undefined);
    report.applied += result.written.length;
    report.conflicts += result.conflicts;
    report.rejected += result.rejected;
    report.quarantined += result.quarantined;
    report.released += result.released;
    if (result.written.length) this.deps.onApplied?.(result.written);
  }

  /**
   * A computer the membership chain enrolls is verified with the key the chain names (issue 13:
   * the server's device list could name a key of its own); others with the server's, and their
   * changes then wait for the chain (renderer/trust/incoming.ts).
   */
  private async learnDevices(client: ServerClient, deviceIds: string[]) {
    const chain = await chainStateOf(this.deps.db);
    for (const id of deviceIds) {
      const enrolled = chain?.devices.get(id);
      if (enrolled && this.chainKeys.get(id) !== enrolled.publicKey) {
        this.publicKeys.set(id, await importPublicKey(enrolled.publicKey));
        this.chainKeys.set(id, enrolled.publicKey);
      }
    }
    if (deviceIds.every((id) => this.publicKeys.has(id))) return;
    const { devices } = await client.devices();
    for (const d of devices)
      if (!this.publicKeys.has(d.deviceId))
        this.publicKeys.set(d.deviceId, await importPublicKey(d.publicKey));
  }

  /** The server went back in time (restored): offer every record we hold again (SYNC.md rule 8). */
  private async reofferEverything(epoch: string) {
    const { db } = this.deps;
    const t = syncTables(db);
    const tables = [db.records, db.outbox, db.audit, db.meta, t.pushed];
    await db.transaction('rw', tables, async () => {
      const rows = await db.records.toArray();
      await db.outbox.bulkAdd(
        rows.map((r) => ({ changeId: uuidv7(), recordId: r.id, kind: r.kind, hlc: r.updatedAt })),
      );
      await reofferOwnAuditEvents(db, this.deps.context.clock.node); // issue 7 (helper D)
      await t.pushed.clear();
      await db.meta.delete('sync-inflight');
      await writePosition(db, { cursor: 0, epoch });
    });
  }

  /**
   * Bundles go one at a time, each persisted as in flight before it is sent. The next one is built
   * meanwhile (read, decrypted, sealed, signed) from the rows this one does not settle and the
   * records it does not carry, and is persisted only once this one is acknowledged; if sending
   * fails it is dropped unsent, having changed nothing.
   */
  private async push(client: ServerClient, report: SyncRoundReport) {
    const { db } = this.deps;
    const stored = (await db.meta.get('sync-inflight'))?.value as InFlight | undefined;
    if (!stored && (await this.deps.holdPush?.())) return;
    let next = stored ?? (await this.nextBundle());
    while (next) {
      if (next !== stored) await db.meta.put({ key: 'sync-inflight', value: next });
      const sending = next;
      const acknowledged = client
        .push(sending.bytes)
        .then((ack) => this.acknowledge(sending, ack.seq));
      const building = this.nextBundle(sending);
      building.catch(() => undefined); // surfaces below, after the acknowledgement
      await acknowledged;
      report.pushed += sending.sent.length;
      // Nothing but rows of the records just sent (edits made meanwhile): they can go now.
      next = (await building) ?? (await this.nextBundle());
    }
  }

  /**
   * One bundle's worth of the outbox, read in seq order: the first `maxChanges` distinct records
   * with pending changes, their current state fetched with one bulkGet. Reading stops as soon as
   * the bundle is full, so pushing n changes reads O(n) outbox rows in all, not O(n²) (issue 6).
   */
  private async nextBundle(sending?: InFlight): Promise<InFlight | undefined> {
    const { db, context, config } = this.deps;
    const maxChanges = this.deps.split?.maxChanges ?? LIMITS.defaultBundleChanges;
    // Every outbox row up to here is covered by the record states read below (they are read
    // after it), so the acknowledgement may delete them; rows added later stay pending.
    const maxSeq = (await db.outbox.orderBy('seq').last())?.seq;
    if (maxSeq === undefined) return undefined;
    // Built while `sending` is in flight: its records wait for a later bundle, since its
    // acknowledgement is what settles their rows and writes their bases (below).
    const busy = new Set(sending?.sent.map((s) => s.recordId));
    const latest = new Map<string, OutboxRow>();
    const scanned: OutboxRow[] = [];
    const chunkSize = Math.min(OUTBOX_CHUNK, 2 * maxChanges);
    let after = 0;
    while (latest.size < maxChanges) {
      const chunk = await db.outbox
        .where('seq')
        .between(after, maxSeq, false, true)
        .limit(chunkSize)
        .toArray();
      if (chunk.length === 0) break;
      for (const r of chunk) {
        if (busy.has(r.recordId) || this.deferred.has(r.recordId)) continue;
        // Once full, the rest of the chunk still settles later rows of records already in.
        if (latest.size >= maxChanges && !latest.has(r.recordId)) continue;
        latest.set(r.recordId, r);
        scanned.push(r);
      }
      after = chunk[chunk.length - 1]!.seq!;
    }
    const ids = [...latest.keys()];
    if (ids.length === 0) return undefined;
    const [stored, seenRows] = await Promise.all([
      bulkGetExisting(db.records, ids),
      bulkGetExisting(syncTables(db).seen, ids),
    ]);
    const pendingOf = new Map<string, OutboxRow[]>();
    for (const r of scanned) {
      const list = pendingOf.get(r.recordId);
      if (list) list.push(r);
      else pendingOf.set(r.recordId, [r]);
    }
    const bases = new Map<string, FieldBase>();
    const changes: (BundleChange & { seq: number })[] = [];
    const gone: string[] = [];
    // Read once for the bundle, as the audit events are (one read each was an IndexedDB round
    // trip per change, awaited in turn: issue 20).
    const chain = await chainStateOf(db);
    const events = await auditChangesFor(
      db,
      context.clinicId,
      [...latest.values()].filter(isAuditOutboxRow),
    );
    for (let i = 0; i < ids.length; i++) {
      // Issue 7 (helper D): an audit event rides along as its own kind of change (audit-sync.ts).
      const queued = latest.get(ids[i]!)!;
      if (isAuditOutboxRow(queued)) {
        const event = events.get(queued.recordId);
        if (event) changes.push({ ...event, seq: queued.seq! });
        else gone.push(ids[i]!);
        continue;
      }
      const row = stored[i];
      if (!row) {
        gone.push(ids[i]!);
        continue;
      }
      const record = await openRecordRow(row, context, context.clinicId);
      const change = latest.get(ids[i]!)!;
      // Who wrote this version, signed (renderer/trust/authors.ts; issue 13 deliverable 4).
      const pending = pendingOf.get(record.id) ?? [];
      const author = await authorForPush(
        db,
        { record, row, pending, rowKeys: this.rowKeys, chain },
        this.signedIn(),
      );
      if (author === DEFER || (typeof author === 'object' && 'defer' in author)) {
        this.deferred.add(record.id);
        // Kept in the outbox, never sent unauthored, and named on screen (authors.ts).
        if (author !== DEFER)
          this.waiting.set(record.id, {
            recordId: record.id,
            kind: record.kind,
            writer: author.writer,
            why: author.why,
          });
        continue;
      }
      // What this version has seen travels with it, so that a receiver tells concurrent from
      // older versions (version-vector.ts); a signed version covers every draft it was made from.
      const seenBefore = seenVector(seenRows[i]);
      if (record.status !== 'draft') {
        changes.push({
          changeId: change.changeId,
          record,
          hlc: record.updatedAt,
          seen: vvToList(vvJoin(seenBefore, vvOf(record.updatedAt))),
          ...(author && { author }),
          seq: change.seq!,
        });
        continue;
      }
      // A draft travels with its per-field clocks (field-clocks.ts), so receivers merge by field.
      const fields = await localClocks(record, seenRows[i]?.base, (base) =>
        openRecordRow({ ...row, ...base }, context, context.clinicId),
      );
      // Once acknowledged, this version (its clocks and the row just read) is the new base; a
      // row not yet re-sealed after a rotation is kept under the newest version (reseal.ts).
      const baseRow =
        row.keyVersion < context.keyVersion
          ? await encryptRecord(record, context.dataKey, context.keyVersion, indexFields(record))
          : row;
      bases.set(record.id, {
        hlc: record.updatedAt,
        clocks: fields,
        row: { kind: row.kind, keyVersion: baseRow.keyVersion, iv: baseRow.iv, ct: baseRow.ct },
      });
      changes.push({
        changeId: change.changeId,
        record,
        hlc: record.updatedAt,
        fields,
        seen: vvToList(vvJoin(seenBefore, vvOf(record.updatedAt, ...Object.values(fields)))),
        ...(author && { author }),
        seq: change.seq!,
      });
    }
    if (gone.length) await db.outbox.where('recordId').anyOf(gone).delete();
    if (changes.length === 0) return this.nextBundle(sending);
    const [group] = splitChanges(changes, this.deps.split);
    // A split leaves records out of this bundle: their rows stay for the next one.
    const carried = new Set(group!.map((c) => (c.record as { id: string }).id));
    const sealWith = this.deps.sealWith?.() ?? context;
    const bundle = await this.codec.encode({
      clinicId: config.clinicId,
      deviceId: config.deviceId,
      keyVersion: sealWith.keyVersion,
      dataKey: sealWith.dataKey,
      signingKey: this.deps.secrets.signingKey,
      changes: group!.map(({ seq: _seq, ...change }) => change),
    });
    return {
      bundleId: bundle.header.bundleId,
      bytes: bundle.bytes,
      sent: group!.map((c) => {
        const recordId = (c.record as AnyRecord).id;
        const audit = (c.record as { kind?: string }).kind === AUDIT_EVENT_KIND || undefined;
        return { recordId, hlc: c.hlc, base: bases.get(recordId), audit };
      }),
      seqs: scanned.filter((r) => carried.has(r.recordId)).map((r) => r.seq!),
      maxSeq,
      afterCursor: (await this.position()).cursor,
    };
  }

  private signedIn(): (Pick<Session, 'user' | 'identity'> & { deviceId?: string }) | undefined {
    const c = this.deps.context as Partial<Session>;
    // This computer's id names the versions made here (their clock stamps, its audit trail).
    if (this.deps.session) return { deviceId: c.deviceId, ...this.deps.session };
    return c.user ? (c as Session) : undefined;
  }

  private async acknowledge(sent: InFlight, seq: number) {
    const { db } = this.deps;
    const t = syncTables(db);
    await db.transaction('rw', [db.outbox, db.meta, t.pushed, t.seen], async () => {
      // The bundle carried each record's state as read AFTER these rows were, so they are settled,
      // even one whose clock is newer than a signed version merged in since. Rows added later
      // (edits during the sync) are not among them and stay pending. Nothing is read here, so
      // acknowledging is O(bundle) (an index lookup per record cost ~100 µs each in Chromium).
      await deleteSeqs(db, sent.seqs ?? (await settledUpTo(db, sent)));
      // Pushed versions feed the record merge; audit events never merge, so they leave no row.
      await t.pushed.bulkPut(
        sent.sent
          .filter((s) => !s.audit)
          .map((s) => ({
            recordId: s.recordId,
            hlc: s.hlc,
            afterCursor: sent.afterCursor,
            seq,
          })),
      );
      // The server now holds these drafts as sent: that is the base later edits are told from.
      const drafts = sent.sent.filter((x) => x.base);
      if (drafts.length) {
        const rows = await bulkGetExisting(
          t.seen,
          drafts.map((x) => x.recordId),
        );
        await t.seen.bulkPut(
          drafts.map((x, i) => ({
            ...addSeen(rows[i], x.recordId, vvOf(x.hlc, ...Object.values(x.base!.clocks))),
            base: x.base,
          })),
        );
      }
      await db.meta.delete('sync-inflight');
    });
  }
}

/** For a bundle persisted without `seqs`: every carried record's rows up to its maxSeq. */
async function settledUpTo(db: KatDatabase, sent: InFlight): Promise<number[]> {
  const carried = [...new Set(sent.sent.map((s) => s.recordId))];
  const rows = await db.outbox.where('recordId').anyOf(carried).toArray();
  return rows.filter((r) => r.seq! <= sent.maxSeq).map((r) => r.seq!);
}

/**
 * Deletes outbox rows by seq: a run of consecutive seqs is one range delete (seqs are unique, so
 * no other row sits inside a run), the rest in one bulk delete. An initial push settles whole runs.
 */
async function deleteSeqs(db: KatDatabase, seqs: number[]) {
  const sorted = [...seqs].sort((a, b) => a - b);
  const singles: number[] = [];
  const ranges: Promise<unknown>[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 7)
      ranges.push(db.outbox.where('seq').between(sorted[i], sorted[j], true, true).delete());
    else singles.push(...sorted.slice(i, j + 1));
    i = j + 1;
  }
  await Promise.all([...ranges, db.outbox.bulkDelete(singles)]);
}
