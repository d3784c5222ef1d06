/**
 * Per-field last-writer-wins for draft records (issue 6, "Merge"). Every top-level field of a
 * draft carries the HLC of the write that last set it; two versions merge field by field, the
 * newer clock winning, so concurrent edits of different fields both survive and every device
 * that has seen the same versions holds the same record (a per-field LWW register is a CRDT).
 *
 * Records carry only one clock (`updatedAt`), so the per-field clocks live beside them: they
 * travel in the bundle change (`fields`), and each device keeps, per record, the clocks of the
 * last version whose clocks it knows exactly (its base, in syncSeen: last applied from another
 * device, or pushed and acknowledged) with that version's encrypted row, the very
 * ciphertext it stored (no extra encryption). While the record is still that version its clocks
 * are the base's; after a local edit the base is opened once and compared field by field, and
 * the fields the edit changed take the record's clock.
 */
import type { AnyRecord, RecordKind } from '../../shared/model';
import { canonicalJson } from '../../shared/crypto/hash';
import { compareHlc } from '../../shared/sync/hlc';
import { type VersionVector, covers } from '../../shared/sync/version-vector';
import type { RecordRow } from '../db/database';

export type FieldClocks = Record<string, string>;
/**
 * The version of one record whose field clocks a device knows exactly: its clock, its per-field
 * clocks and its row as stored (AES-GCM under the clinic key, like every record at rest). Whether
 * two versions are concurrent is read from version vectors (version-vector.ts), not from this.
 */
export type FieldBase = {
  hlc: string;
  clocks: FieldClocks;
  /** Written by an earlier version of this code; no longer read (version vectors replaced it). */
  agreed?: FieldClocks;
  row?: Pick<RecordRow, 'kind' | 'keyVersion' | 'iv' | 'ct'>;
};

/** Identity and lifecycle are not merged field by field (lifecycle has its own rules). */
const NOT_MERGED = new Set([
  'kind',
  'id',
  'clinicId',
  'createdBy',
  'createdAt',
  'updatedAt',
  'schemaVersion',
  'status',
  'signature',
  'enteredInError',
]);

type Rec = Record<string, unknown>;

export function mergedFields(...records: AnyRecord[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (!NOT_MERGED.has(k)) keys.add(k);
  return [...keys].sort();
}

const ABSENT = '\u0000absent';

function fieldValue(record: AnyRecord, field: string): string {
  const v = (record as Rec)[field];
  return v === undefined ? ABSENT : canonicalJson(v);
}

/**
 * The clocks of a record as this device holds it. Still the base version: the base's clocks.
 * Otherwise a field equal to the base's keeps the base's clock, and any other field (or every
 * field, without a readable base) was last set by this device's latest write, `updatedAt`.
 */
export async function localClocks(
  record: AnyRecord,
  base: FieldBase | undefined,
  openBase: (row: NonNullable<FieldBase['row']>) => Promise<AnyRecord | undefined>,
): Promise<FieldClocks> {
  const fields = mergedFields(record);
  if (base) for (const f of Object.keys(base.clocks)) if (!fields.includes(f)) fields.push(f);
  const out: FieldClocks = {};
  if (base && base.hlc === record.updatedAt) {
    for (const f of fields) out[f] = base.clocks[f] ?? record.updatedAt;
    return out;
  }
  const before = base?.row ? await openBase(base.row).catch(() => undefined) : undefined;
  for (const f of fields)
    out[f] =
      before && base?.clocks[f] && fieldValue(before, f) === fieldValue(record, f)
        ? base.clocks[f]
        : record.updatedAt;
  return out;
}

/** Clocks a change arrived with; a sender that sent none set every field with its last write. */
export function remoteClocks(record: AnyRecord, sent: FieldClocks | undefined): FieldClocks {
  const out: FieldClocks = {};
  for (const f of mergedFields(record)) out[f] = sent?.[f] ?? record.updatedAt;
  if (sent) for (const [f, c] of Object.entries(sent)) if (!NOT_MERGED.has(f)) out[f] ??= c;
  return out;
}

/**
 * List fields that are append-only in practice merge as sets, not as one value: what either side
 * added is kept (issue 14 finding 3: vitals added on one computer vanished under an edit of the
 * same dose draft on another). How each merges:
 *
 * - `readings`: a reading (vital signs, an observation, an adverse event, a rate change; at-home
 *   check-in readings are the vitals of an at-home dose) is taken at a moment and never edited in
 *   place (renderer/db/dose-repository.ts only appends), so its content is its identity: the
 *   merge is the union, each distinct reading as often as the side holding it most.
 * - `{ key, newest }`: one element per `key` (an override per safety rule, replaced when the rule
 *   is overridden again); per key the element with the later `newest` time wins.
 *
 * Both are commutative, associative and idempotent, so devices converge. The merged list keeps
 * the order of a side that already holds everything; otherwise it is sorted by time.
 * Every other list (a medication list, themes, answers) is edited as a whole, may lose elements
 * on purpose, and merges as one value like any field.
 */
export type SetRule = 'readings' | { key: string; newest: string };

export const SET_FIELDS: Partial<Record<RecordKind, Record<string, SetRule>>> = {
  dose: {
    vitals: 'readings',
    observations: 'readings',
    adverseEvents: 'readings',
    rateChanges: 'readings',
    boluses: 'readings',
    overrides: { key: 'rule', newest: 'at' },
  },
};

export const setRuleOf = (kind: RecordKind, field: string): SetRule | undefined =>
  SET_FIELDS[kind]?.[field];

type El = Record<string, unknown>;

/** Count of each distinct element (canonical JSON). */
function bag(list: readonly unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of list) {
    const k = canonicalJson(e);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

const contains = (a: Map<string, number>, b: Map<string, number>) =>
  [...b].every(([k, n]) => (a.get(k) ?? 0) >= n);

const timeOf = (e: unknown) => String((e as El | null)?.at ?? '');

/** The set merge of two lists by `rule` (see SET_FIELDS); `preferLocal` breaks an order tie. */
export function mergeSet(
  rule: SetRule,
  local: readonly unknown[],
  remote: readonly unknown[],
  preferLocal: boolean,
): unknown[] {
  let union: unknown[];
  if (rule === 'readings') {
    const l = bag(local);
    const r = bag(remote);
    if (contains(l, r) && contains(r, l)) return [...(preferLocal ? local : remote)];
    if (contains(l, r)) return [...local];
    if (contains(r, l)) return [...remote];
    union = [];
    for (const k of new Set([...l.keys(), ...r.keys()]))
      for (let i = Math.max(l.get(k) ?? 0, r.get(k) ?? 0); i > 0; i--) union.push(JSON.parse(k));
  } else {
    const byKey = new Map<string, unknown>();
    for (const e of [...local, ...remote]) {
      const key = canonicalJson((e as El)?.[rule.key] ?? null);
      const had = byKey.get(key);
      const later =
        !had ||
        String((e as El)[rule.newest] ?? '') > String((had as El)[rule.newest] ?? '') ||
        (String((e as El)[rule.newest] ?? '') === String((had as El)[rule.newest] ?? '') &&
          canonicalJson(e) > canonicalJson(had));
      if (later) byKey.set(key, e);
    }
    union = [...byKey.values()];
    const u = bag(union);
    const l = bag(local);
    const r = bag(remote);
    const isL = contains(u, l) && contains(l, u);
    const isR = contains(u, r) && contains(r, u);
    if (isL && (preferLocal || !isR)) return [...local];
    if (isR) return [...remote];
  }
  return union.sort((a, b) => {
    const t = timeOf(a).localeCompare(timeOf(b));
    if (t) return t;
    const ca = canonicalJson(a);
    const cb = canonicalJson(b);
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  });
}

/**
 * Field-by-field merge of two drafts of one record: per field the newer clock wins (equal
 * clocks: the same write, or, should two values ever share one, the larger value, so that every
 * device picks the same); set fields (SET_FIELDS) take the union of both sides under the newer
 * clock. The result's `updatedAt` is the newer of the two.
 */
export function mergeDrafts(
  local: AnyRecord,
  localClock: FieldClocks,
  remote: AnyRecord,
  remoteClock: FieldClocks,
): { record: AnyRecord; clocks: FieldClocks } {
  const fields = new Set([...Object.keys(localClock), ...Object.keys(remoteClock)]);
  const newer = compareHlc(remote.updatedAt, local.updatedAt) > 0 ? remote : local;
  const record: Rec = { ...(newer as Rec) };
  const clocks: FieldClocks = {};
  for (const f of [...fields].sort()) {
    const l = localClock[f];
    const r = remoteClock[f];
    const rule = setRuleOf(local.kind, f);
    const lv = (local as Rec)[f];
    const rv = (remote as Rec)[f];
    if (rule && l && r && Array.isArray(lv) && Array.isArray(rv)) {
      const c = compareHlc(r, l);
      const preferLocal = c !== 0 ? c < 0 : fieldValue(local, f) >= fieldValue(remote, f);
      record[f] = mergeSet(rule, lv, rv, preferLocal);
      clocks[f] = c > 0 ? r : l;
      continue;
    }
    let fromRemote: boolean;
    if (!l) fromRemote = true;
    else if (!r) fromRemote = false;
    else {
      const c = compareHlc(r, l);
      fromRemote = c !== 0 ? c > 0 : fieldValue(remote, f) > fieldValue(local, f);
    }
    const source = (fromRemote ? remote : local) as Rec;
    clocks[f] = (fromRemote ? r : l)!;
    if (source[f] === undefined) delete record[f];
    else record[f] = source[f];
  }
  return { record: record as AnyRecord, clocks };
}

/**
 * The fields both sides set to different values, each without having seen the other's write: a
 * true conflict. A write one side has seen (its vector covers the other's field clock) was
 * overwritten knowingly, or is that side's own write coming back; neither is a conflict.
 */
export function conflictingFields(
  local: AnyRecord,
  localClock: FieldClocks,
  localSeen: VersionVector,
  remote: AnyRecord,
  remoteClock: FieldClocks,
  remoteSeen: VersionVector,
): string[] {
  const out: string[] = [];
  for (const f of Object.keys(remoteClock)) {
    const l = localClock[f];
    const r = remoteClock[f];
    if (!l || !r || l === r || fieldValue(local, f) === fieldValue(remote, f)) continue;
    const rule = setRuleOf(local.kind, f);
    if (rule === 'readings') continue; // a union keeps both sides
    if (covers(localSeen, r) || covers(remoteSeen, l)) continue;
    // One element per key (an override per safety rule): only two different elements for one
    // key clash; different keys are all kept.
    if (rule && !sameKeyClash(rule.key, fieldList(local, f), fieldList(remote, f))) continue;
    out.push(f);
  }
  return out;
}

const fieldList = (r: AnyRecord, f: string): unknown[] => {
  const v = (r as unknown as Record<string, unknown>)[f];
  return Array.isArray(v) ? v : [];
};

const keyOf = (key: string, e: unknown) => canonicalJson((e as El | null)?.[key] ?? null);

/** Whether two keyed lists hold different elements under one key. */
function sameKeyClash(key: string, a: readonly unknown[], b: readonly unknown[]): boolean {
  const ofB = new Map(b.map((e) => [keyOf(key, e), canonicalJson(e)]));
  return a.some((e) => {
    const other = ofB.get(keyOf(key, e));
    return other !== undefined && other !== canonicalJson(e);
  });
}

/**
 * Whether `side`'s value of a keyed set field lost in `merged`: one of its elements is not in the
 * merged list (another element of its key won). Read from the elements, not the field clocks: per
 * key the later element wins, whichever side's field clock is newer.
 */
export function lostKeyedElement(
  kind: RecordKind,
  field: string,
  side: AnyRecord,
  merged: AnyRecord,
): boolean | undefined {
  const rule = setRuleOf(kind, field);
  if (!rule || rule === 'readings') return undefined;
  const kept = new Set(fieldList(merged, field).map((e) => canonicalJson(e)));
  return fieldList(side, field).some((e) => !kept.has(canonicalJson(e)));
}

export const sameClocks = (a: FieldClocks, b: FieldClocks) => canonicalJson(a) === canonicalJson(b);
