/**
 * Re-sealing at rest (issue 13 point 5, THREATS.md principle 5): after a rotation — made here or
 * opened from another computer — everything this computer keeps sealed under an older clinic key
 * version moves to the newest one, in the background, so someone who held only older versions
 * opens nothing on this disk once it is done. New writes are under the newest version at once
 * (session.ts, followNewestVersion); this moves what was written before.
 *
 * What moves: record rows, form drafts, the stored base row of each draft in `syncSeen`, and the
 * base rows of a bundle in flight. What does not: audit details — each event's hash (and so its
 * device's whole chain, which other computers hold too) covers the detail's ciphertext, so they
 * stay under the version they were written under; details written after a rotation are under the
 * new version from the start. Bundle bytes kept as evidence in `syncIssues` are another device's
 * sealing, held as they arrived.
 *
 * Resumable: the place reached (step and last primary key) is kept in `meta`, written in the same
 * transaction as the rows of each batch, so a lock, a sign-out or a crash loses nothing and the
 * next sign-in continues from there. Every row names its version and opens with that version's
 * key, so every row reads throughout. Each batch is read, re-sealed (WebCrypto, off the main
 * thread), then written in one short transaction that keeps only rows nobody changed meanwhile;
 * between batches the loop yields, so the screen stays responsive.
 */
import { TamperedError } from '../../shared/crypto/envelope';
import type { FieldBase } from '../sync/field-clocks';
import type { KatDatabase } from './database';
import {
  KeyVersionNotHeldError,
  type RestKeys,
  draftAad,
  keyForVersion,
  recordAad,
  resealBytes,
} from './record-crypto';

export const RESEAL_META = 'reseal';
/** Newest clinic key version anything at rest here is sealed under (sign-in needs it). */
export const STORED_VERSION_META = 'keyVersion';

export const RESEAL_STEPS = ['records', 'drafts', 'in-flight', 'sync-seen', 'done'] as const;
export type ResealStep = (typeof RESEAL_STEPS)[number];

export type ResealState = {
  /** The version everything at rest is moving to. */
  target: number;
  step: ResealStep;
  /** Primary key of the last row handled in this step ('' at its start). */
  after: string;
  /** Rows looked at so far, of `total` counted at the start: the progress shown. */
  seen: number;
  total: number;
  /** Rows re-sealed so far. */
  moved: number;
  /** Rows under a version this sign-in does not hold: left as they are, for a later pass. */
  skipped: number;
  /** Rows that do not open with their own version's key (damaged on disk): left, reported. */
  damaged?: number;
  startedAt: string;
  finishedAt?: string;
};

export type ResealKeys = RestKeys & { clinicId: string };

export async function readReseal(db: KatDatabase): Promise<ResealState | undefined> {
  return (await db.meta.get(RESEAL_META))?.value as ResealState | undefined;
}

/** True when rows may still be under a version older than the newest this session holds. */
export async function resealNeeded(db: KatDatabase, keys: ResealKeys): Promise<boolean> {
  const state = await readReseal(db);
  if (state) return state.target < keys.keyVersion || state.step !== 'done' || state.skipped > 0;
  // Before re-sealing existed, every row was under the stored version.
  const stored = (await db.meta.get(STORED_VERSION_META))?.value as number | undefined;
  return (stored ?? 1) < keys.keyVersion;
}

/** A new pass towards `target`: counts what there is to look at, and says so in meta. */
async function begin(db: KatDatabase, target: number): Promise<ResealState> {
  return db.transaction('rw', [db.meta, db.records, db.drafts, db.syncSeen], async () => {
    const [records, drafts, seen] = await Promise.all([
      db.records.count(),
      db.drafts.count(),
      db.syncSeen.count(),
    ]);
    const state: ResealState = {
      target,
      step: 'records',
      after: '',
      seen: 0,
      total: records + drafts + seen + 1,
      moved: 0,
      skipped: 0,
      damaged: 0,
      startedAt: new Date().toISOString(),
    };
    await db.meta.put({ key: RESEAL_META, value: state });
    // From now on rows may be under `target`: sign-in asks for it (auth.ts).
    await db.meta.put({ key: STORED_VERSION_META, value: target });
    return state;
  });
}

type Sealed = { keyVersion: number; iv: Uint8Array; ct: Uint8Array };
/** One row's move: where it is stored, the sealing it had, and the sealing it gets. */
type Move = { key: string; before: Sealed; after: Sealed };

const sameSealing = (a: Sealed | undefined, b: Sealed) =>
  !!a &&
  a.keyVersion === b.keyVersion &&
  a.iv.length === b.iv.length &&
  a.iv.every((x, i) => x === b.iv[i]);

/** Re-seal each old sealing of a batch; notes what this session cannot open. */
async function moveAll(
  keys: ResealKeys,
  target: number,
  items: { key: string; sealed: Sealed | undefined; aad: string }[],
) {
  const to = keyForVersion(keys, target);
  const unreadable = new Set<string>();
  const damaged = new Set<string>();
  const moves = await Promise.all(
    items.map(async ({ key, sealed, aad }): Promise<Move | undefined> => {
      if (!sealed || sealed.keyVersion >= target) return undefined;
      let from: CryptoKey;
      try {
        from = keyForVersion(keys, sealed.keyVersion);
      } catch (e) {
        if (!(e instanceof KeyVersionNotHeldError)) throw e;
        unreadable.add(key);
        return undefined;
      }
      try {
        const { iv, ct } = await resealBytes(sealed, from, to, aad);
        return { key, before: sealed, after: { keyVersion: target, iv, ct } };
      } catch (e) {
        // A damaged row stays exactly as it is (nothing is ever dropped) and is counted.
        if (!(e instanceof TamperedError)) throw e;
        damaged.add(key);
        return undefined;
      }
    }),
  );
  return { moves: moves.filter((m): m is Move => !!m), unreadable, damaged };
}

/** How a keyed table's rows are sealed, for the generic batch below. */
type TableSpec<Row> = {
  table: import('dexie').Table<Row, string>;
  keyOf: (row: Row) => string;
  sealedOf: (row: Row) => Sealed | undefined;
  aadOf: (row: Row, clinicId: string) => string;
  withSealing: (row: Row, sealed: Sealed) => Row;
};

const specs = (db: KatDatabase) => ({
  records: {
    table: db.records,
    keyOf: (r) => r.id,
    sealedOf: (r) => r,
    aadOf: (r, clinicId) => recordAad(clinicId, r.kind, r.id),
    withSealing: (r, s) => ({ ...r, ...s }),
  } satisfies TableSpec<import('./database').RecordRow>,
  drafts: {
    table: db.drafts,
    keyOf: (r) => r.key,
    sealedOf: (r) => r,
    aadOf: (r, clinicId) => draftAad(clinicId, r.key),
    withSealing: (r, s) => ({ ...r, ...s }),
  } satisfies TableSpec<import('./database').DraftRow>,
  'sync-seen': {
    table: db.syncSeen,
    keyOf: (r) => r.recordId,
    sealedOf: (r) => r.base?.row,
    aadOf: (r, clinicId) => recordAad(clinicId, r.base!.row!.kind, r.recordId),
    withSealing: (r, s) => ({ ...r, base: { ...r.base!, row: { ...r.base!.row!, ...s } } }),
  } satisfies TableSpec<import('./sync-state').SeenRow>,
});

/** Rows per put run inside a batch's transaction (see tableBatch). */
const PUT_RUN = 25;

const nextStep = (step: ResealStep): ResealStep => RESEAL_STEPS[RESEAL_STEPS.indexOf(step) + 1]!;

/** Writes `next` only if the stored state is still `from` (another window may have moved on). */
async function advance(db: KatDatabase, from: ResealState, next: ResealState) {
  const stored = await readReseal(db);
  if (stored?.target !== from.target || stored.step !== from.step || stored.after !== from.after)
    return false;
  await db.meta.put({ key: RESEAL_META, value: next });
  return true;
}

async function tableBatch<Row>(
  db: KatDatabase,
  keys: ResealKeys,
  state: ResealState,
  spec: TableSpec<Row>,
  batchSize: number,
): Promise<ResealState> {
  const rows = await spec.table.where(':id').above(state.after).limit(batchSize).toArray();
  const { moves, unreadable, damaged } = await moveAll(
    keys,
    state.target,
    rows.map((r) => {
      const sealed = spec.sealedOf(r);
      return { key: spec.keyOf(r), sealed, aad: sealed ? spec.aadOf(r, keys.clinicId) : '' };
    }),
  );
  const byKey = new Map(moves.map((m) => [m.key, m]));
  return db.transaction('rw', [spec.table, db.meta], async () => {
    let handled = rows.length;
    let next = { ...state };
    if (rows.length) {
      const first = spec.keyOf(rows[0]!);
      const last = spec.keyOf(rows[rows.length - 1]!);
      const stored = await spec.table.where(':id').between(first, last, true, true).toArray();
      const now = new Map(stored.map((r) => [spec.keyOf(r), r]));
      const puts: Row[] = [];
      let skipped = 0;
      let broken = 0;
      for (let i = 0; i < rows.length; i++) {
        const key = spec.keyOf(rows[i]!);
        const current = now.get(key);
        const sealed = current && spec.sealedOf(current);
        const move = byKey.get(key);
        if (move && sameSealing(sealed, move.before)) {
          puts.push(spec.withSealing(current!, move.after));
          continue;
        }
        const read = spec.sealedOf(rows[i]!);
        // Rewritten meanwhile, still under an older version (a write prepared just before the
        // newer version arrived): the batch stops before it, and the next one takes it again.
        if (sealed && sealed.keyVersion < state.target && !(read && sameSealing(sealed, read))) {
          handled = i;
          break;
        }
        if (unreadable.has(key)) skipped++;
        if (damaged.has(key)) broken++;
      }
      // In short runs, one after the other: Chromium reads each row's index keys on the main
      // thread as its put is issued, so one bulkPut of a whole batch held the screen ~100 ms;
      // between runs, input and rendering get through.
      for (let i = 0; i < puts.length; i += PUT_RUN)
        await spec.table.bulkPut(puts.slice(i, i + PUT_RUN));
      next = {
        ...next,
        after: handled ? spec.keyOf(rows[handled - 1]!) : state.after,
        seen: state.seen + handled,
        moved: state.moved + puts.length,
        skipped: state.skipped + skipped,
        damaged: (state.damaged ?? 0) + broken,
      };
    }
    if (handled === rows.length && rows.length < batchSize)
      next = { ...next, step: nextStep(state.step), after: '' };
    await advance(db, state, next);
    return next;
  });
}

/** The base rows of a bundle persisted as in flight (sync-engine.ts): moved in place. */
type InFlightLike = { bundleId: string; sent: { recordId: string; base?: FieldBase }[] };

async function inFlightStep(db: KatDatabase, keys: ResealKeys, state: ResealState) {
  const stored = (await db.meta.get('sync-inflight'))?.value as InFlightLike | undefined;
  const items = (stored?.sent ?? []).map((s, i) => ({
    key: String(i),
    sealed: s.base?.row,
    aad: s.base?.row ? recordAad(keys.clinicId, s.base.row.kind, s.recordId) : '',
  }));
  const { moves, unreadable, damaged } = await moveAll(keys, state.target, items);
  const skipped = unreadable.size;
  return db.transaction('rw', [db.meta], async () => {
    const now = (await db.meta.get('sync-inflight'))?.value as InFlightLike | undefined;
    let moved = 0;
    if (now && stored && now.bundleId === stored.bundleId && moves.length) {
      const sent = now.sent.map((s, i) => {
        const move = moves.find((m) => m.key === String(i));
        if (!move || !s.base?.row || !sameSealing(s.base.row, move.before)) return s;
        moved++;
        return { ...s, base: { ...s.base, row: { ...s.base.row, ...move.after } } };
      });
      await db.meta.put({ key: 'sync-inflight', value: { ...now, sent } });
    }
    const next: ResealState = {
      ...state,
      step: nextStep(state.step),
      after: '',
      seen: state.seen + 1,
      moved: state.moved + moved,
      skipped: state.skipped + skipped,
      damaged: (state.damaged ?? 0) + damaged.size,
    };
    await advance(db, state, next);
    return next;
  });
}

/**
 * One batch of the pass towards the newest version `keys` hold (starting or restarting the pass
 * when that version is newer than the one under way). Returns the state after it.
 */
export async function resealBatch(
  db: KatDatabase,
  keys: ResealKeys,
  batchSize = 200,
): Promise<ResealState> {
  const target = keys.keyVersion;
  let state = await readReseal(db);
  if (!state || state.target < target || (state.step === 'done' && state.skipped > 0))
    state = await begin(db, target);
  // A pass towards a version this sign-in does not hold (another user's): not ours to do.
  if (state.target > target || state.step === 'done') return state;
  const s = specs(db);
  let next: ResealState;
  if (state.step === 'in-flight') next = await inFlightStep(db, keys, state);
  else next = await tableBatch(db, keys, state, s[state.step] as TableSpec<unknown>, batchSize);
  if (next.step === 'done') {
    next = { ...next, seen: next.total, finishedAt: new Date().toISOString() };
    await db.meta.put({ key: RESEAL_META, value: next });
  }
  return next;
}

export type ResealOptions = {
  batchSize?: number;
  /** Stops between batches (lock, sign-out); what is done stays done. */
  signal?: AbortSignal;
  onProgress?: (state: ResealState) => void;
  /** Between batches: lets the screen and input through. A macrotask by default. */
  pause?: () => Promise<void>;
};

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Re-seal until done, or until `signal` stops it. Returns the state reached. */
export async function resealAtRest(
  db: KatDatabase,
  keys: ResealKeys,
  options: ResealOptions = {},
): Promise<ResealState> {
  const pause = options.pause ?? macrotask;
  for (;;) {
    const state = await resealBatch(db, keys, options.batchSize);
    options.onProgress?.(state);
    if (state.step === 'done' || state.target > keys.keyVersion) return state;
    if (options.signal?.aborted) return state;
    await pause();
    if (options.signal?.aborted) return (await readReseal(db)) ?? state;
  }
}
