/**
 * Per-field last-writer-wins for draft records (issue 6, "Merge"). Every top-level field of a
 * draft carries the HLC of the write that last set it; two versions merge field by field, the
 * newer clock winning, so concurrent edits of different fields both survive and every device
 * that has seen the same versions holds the same record (a per-field LWW register is a CRDT).
 *
 * Records carry only one clock (`updatedAt`), so the per-field clocks live beside them: they
 * travel in the bundle change (`fields`), and each device keeps, per record, the clocks of the
 * last version it agreed on (its base, in syncSeen) with that version's encrypted row, the very
 * ciphertext it stored (no extra encryption). While the record is still that version its clocks
 * are the base's; after a local edit the base is opened once and compared field by field, and
 * the fields the edit changed take the record's clock.
 */
import type { AnyRecord } from '../../shared/model';
import { canonicalJson } from '../../shared/crypto/hash';
import { compareHlc, parseHlc } from '../../shared/sync/hlc';
import type { RecordRow } from '../db/database';

export type FieldClocks = Record<string, string>;
/**
 * What a device agreed on last for one record: the version's clock, its per-field clocks and its
 * row as stored (AES-GCM under the clinic key, like every record at rest).
 */
export type FieldBase = {
  hlc: string;
  clocks: FieldClocks;
  /**
   * Fields where this version kept this device's own edit over the other side's (a merge while
   * the edit was unsent): the other side's clocks of them, which is what was agreed on for those
   * fields. Without it an edit merged in would pass for agreed, and a third device's concurrent
   * edit of the same field would overwrite it without a conflict copy.
   */
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
 * Field-by-field merge of two drafts of one record: per field the newer clock wins (equal
 * clocks: the same write, or, should two values ever share one, the larger value, so that every
 * device picks the same). The result's `updatedAt` is the newer of the two.
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
 * The fields both sides set since the base (each by its own write) to different values. `node`:
 * this device; a remote field it set itself (an older write of its own coming back) is no conflict.
 */
export function conflictingFields(
  local: AnyRecord,
  localClock: FieldClocks,
  remote: AnyRecord,
  remoteClock: FieldClocks,
  base: FieldBase | undefined,
  node?: string,
): string[] {
  const out: string[] = [];
  for (const f of Object.keys(remoteClock)) {
    const l = localClock[f];
    const r = remoteClock[f];
    if (!l || l === r || fieldValue(local, f) === fieldValue(remote, f)) continue;
    if (node !== undefined && r !== undefined && parseHlc(r).node === node) continue;
    const b = base?.agreed?.[f] ?? base?.clocks[f];
    if (b && (l === b || r === b)) continue; // one side still holds what both agreed on
    out.push(f);
  }
  return out;
}

export const sameClocks = (a: FieldClocks, b: FieldClocks) => canonicalJson(a) === canonicalJson(b);
