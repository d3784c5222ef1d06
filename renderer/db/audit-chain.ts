/**
 * The audit log as a hash chain per device (HIPAA 45 CFR 164.312(b) audit controls, (c)(1)
 * integrity). Each event carries a sequence number, the hash of the device's previous event and its
 * own hash; the device's latest (seq, hash) is kept in `meta`, so deleting the newest events is
 * caught too. Appending reads the head and writes event + head in ONE IndexedDB transaction, which
 * is why the hash is computed synchronously (an awaited WebCrypto digest would end it early).
 *
 * Keyed (issue 18 finding 2): an event written in a session is linked with HMAC-SHA-256 under the
 * audit key of a clinic key version (audit-key.ts; `hmac:<version>:<hex>`), so someone without the
 * clinic key cannot re-chain the log after deleting or changing events. Events written before this
 * (`sha256:<hex>`) keep verifying; once a chain is keyed, an unkeyed link is accepted only for an
 * event written while nobody was signed in (a failed sign-in). Trimming the newest events and
 * moving the head back is caught against an anchor outside the database: the audit seal (a short
 * text printed and filed, and written into every backup's header; see audit-seal.ts).
 */
import { checkServerCheckpoints, readServerCheckpoints } from './audit-checkpoints';
import { canonicalJson } from '../../shared/crypto/hash';
import { hmacSha256Sync, sha256HexSync } from '../../shared/crypto/sha256-sync';
import { toBase64, toHex } from '../../shared/util/bytes';
import { auditOutboxRow } from './audit-outbox';
import type { AuditRow, KatDatabase } from './database';

export type ChainFields = { seq: number; prevHash: string; hash: string };
export type ChainedAuditRow = AuditRow & ChainFields;
/** What a stored row may be: chained, or written before chaining (or by code that bypassed it). */
export type StoredAuditRow = AuditRow & Partial<ChainFields>;
export type ChainHead = { seq: number; hash: string };

export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;
export const chainHeadKey = (deviceId: string) => `audit-head:${deviceId}`;

/** An audit key of one clinic key version (audit-key.ts), held in memory only. */
export type AuditMacKey = { version: number; key: Uint8Array };
/** The audit key of a clinic key version, when this session holds that version. */
export type AuditMacKeys = (version: number) => Uint8Array | undefined;

/** Actions written while nobody is signed in, so with no clinic key to link them with. */
const KEYLESS_ACTIONS: ReadonlySet<string> = new Set(['sign-in-failed']);

/** What the link covers: every field of the event, the previous hash and its place in the chain. */
export function auditEventContent(row: AuditRow & Omit<ChainFields, 'hash'>): string {
  const detail = row.detail
    ? {
        keyVersion: row.detail.keyVersion,
        iv: toBase64(row.detail.iv),
        ct: toBase64(row.detail.ct),
      }
    : null;
  return canonicalJson({
    v: 1,
    id: row.id,
    at: row.at,
    userId: row.userId,
    deviceId: row.deviceId,
    action: row.action,
    recordKind: row.recordKind,
    recordId: row.recordId,
    patientId: row.patientId,
    detail,
    seq: row.seq,
    prevHash: row.prevHash,
  });
}

/** The event's link: keyed when a key is given, a plain SHA-256 otherwise. */
export function auditEventHash(
  row: AuditRow & Omit<ChainFields, 'hash'>,
  mac?: AuditMacKey,
): string {
  const content = auditEventContent(row);
  if (!mac) return `sha256:${sha256HexSync(content)}`;
  return `hmac:${mac.version}:${toHex(hmacSha256Sync(mac.key, content))}`;
}

const KEYED = /^hmac:([1-9][0-9]{0,5}):[0-9a-f]{64}$/;
/** The clinic key version a keyed link was made under, or undefined for a plain one. */
export const linkKeyVersion = (hash: string): number | undefined => {
  const m = KEYED.exec(hash);
  return m ? Number(m[1]) : undefined;
};

/**
 * Appends events to their device's chain and queues each for sync (outbox) in the same
 * transaction. Joins the caller's transaction when it already holds `audit`, `outbox` and `meta`
 * (record writes), otherwise opens its own; never awaits anything but IndexedDB.
 */
export async function appendAuditEvents(
  db: KatDatabase,
  rows: AuditRow[],
  /** The session's audit key; absent only for events written while nobody is signed in. */
  mac?: AuditMacKey,
): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction('rw', [db.audit, db.outbox, db.meta], async () => {
    const heads = new Map<string, ChainHead>();
    const chained: ChainedAuditRow[] = [];
    for (const row of rows) {
      let head = heads.get(row.deviceId);
      if (!head) {
        const stored = (await db.meta.get(chainHeadKey(row.deviceId)))?.value as
          ChainHead | undefined;
        head = stored ?? { seq: 0, hash: GENESIS_HASH };
      }
      const link = { ...row, seq: head.seq + 1, prevHash: head.hash };
      const next = { ...link, hash: auditEventHash(link, mac) };
      chained.push(next);
      heads.set(row.deviceId, { seq: next.seq, hash: next.hash });
    }
    await db.audit.bulkAdd(chained);
    await db.outbox.bulkAdd(chained.map(auditOutboxRow));
    for (const [deviceId, head] of heads)
      await db.meta.put({ key: chainHeadKey(deviceId), value: head });
  });
}

export type ChainBreak = {
  seq: number;
  /** The event at the break, when it still exists. */
  eventId?: string;
  at?: string;
  problem: string;
};

export type DeviceChainReport = {
  deviceId: string;
  /** A chain written on another device and received through sync. */
  received: boolean;
  events: number;
  firstBreak?: ChainBreak;
};

export type ChainReport = {
  ok: boolean;
  devices: DeviceChainReport[];
  /** Events with no place in any chain (older than chaining, or written around it). */
  unchained: number;
  checkedAt: string;
};

/** Pure check over stored rows; `heads` are the chain heads this device holds in `meta`. */
export function verifyAuditRows(
  rows: StoredAuditRow[],
  heads: Record<string, ChainHead>,
  now = new Date(),
  /** This computer's chain; every other chain was received through sync. */
  localDeviceId?: string,
  /**
   * The audit keys this session holds. Without them (a backup checked before anyone signs in)
   * keyed links are checked for order and place only.
   */
  keys?: AuditMacKeys,
): ChainReport {
  const byDevice = new Map<string, ChainedAuditRow[]>();
  let unchained = 0;
  for (const row of rows) {
    if (row.seq === undefined && row.hash === undefined && row.prevHash === undefined) {
      unchained++;
      continue;
    }
    const list = byDevice.get(row.deviceId) ?? [];
    list.push(row as ChainedAuditRow);
    byDevice.set(row.deviceId, list);
  }
  for (const deviceId of Object.keys(heads))
    if (!byDevice.has(deviceId)) byDevice.set(deviceId, []);
  const devices = [...byDevice].map(([deviceId, events]) =>
    verifyDevice(
      deviceId,
      events,
      heads[deviceId],
      deviceId !== localDeviceId && !!localDeviceId,
      keys,
    ),
  );
  return {
    ok: devices.every((d) => !d.firstBreak),
    devices,
    unchained,
    checkedAt: now.toISOString(),
  };
}

function verifyDevice(
  deviceId: string,
  events: ChainedAuditRow[],
  head: ChainHead | undefined,
  received: boolean,
  keys: AuditMacKeys | undefined,
): DeviceChainReport {
  const sorted = [...events].sort((a, b) => Number(a.seq) - Number(b.seq));
  const report = (firstBreak?: ChainBreak) => ({
    deviceId,
    received,
    events: events.length,
    firstBreak,
  });
  // A received chain can also have a hole because a bundle was set aside; say both possibilities.
  const gone = received
    ? 'it was deleted from this computer, or never arrived from that device'
    : 'it was deleted from this computer';
  let prevHash = GENESIS_HASH;
  let keyed = false;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const expectedSeq = i + 1;
    const where = { seq: expectedSeq, eventId: e.id, at: e.at };
    if (!Number.isInteger(e.seq) || typeof e.hash !== 'string' || typeof e.prevHash !== 'string')
      return report({ ...where, problem: `Event ${expectedSeq} has lost its chain fields.` });
    if (e.seq < expectedSeq) return report({ ...where, problem: `Event ${e.seq} appears twice.` });
    if (e.seq > expectedSeq)
      return report({
        seq: expectedSeq,
        problem: `Event ${expectedSeq} is missing: ${gone}.`,
      });
    if (e.prevHash !== prevHash)
      return report({
        ...where,
        problem: `Event ${e.seq} does not follow event ${e.seq - 1}: the chain was re-ordered or an earlier event replaced.`,
      });
    const version = linkKeyVersion(e.hash);
    if (version === undefined) {
      if (keyed && !KEYLESS_ACTIONS.has(e.action))
        return report({
          ...where,
          problem: `Event ${e.seq} is not sealed with the clinic key: it was written or rewritten outside KAT Chart.`,
        });
      if (auditEventHash(e) !== e.hash)
        return report({ ...where, problem: `Event ${e.seq} was changed after it was written.` });
    } else {
      keyed = true;
      if (keys) {
        const key = keys(version);
        if (!key)
          return report({
            ...where,
            problem: `Event ${e.seq} is sealed under clinic key version ${version}, which this computer does not hold, so it cannot be checked.`,
          });
        if (auditEventHash(e, { version, key }) !== e.hash)
          return report({ ...where, problem: `Event ${e.seq} was changed after it was written.` });
      }
    }
    prevHash = e.hash;
  }
  if (head) {
    const last = sorted.length;
    if (head.seq > last)
      return report({
        seq: last + 1,
        problem:
          head.seq - last === 1
            ? `The newest event is missing: it was deleted after it was ${received ? 'received' : 'written'}.`
            : `The newest ${head.seq - last} events are missing: they were deleted after they were ${received ? 'received' : 'written'}.`,
      });
    if (head.seq === last && head.hash !== prevHash)
      return report({ seq: last, problem: `Event ${last} was replaced after it was written.` });
  }
  return report();
}

/**
 * Reads every stored event and the chain heads (this computer's, and the newest event received
 * from each other device), then checks every chain.
 */
export async function verifyAuditChain(
  db: KatDatabase,
  /** Required: without them a changed keyed event would go unnoticed (audit-key.ts). */
  keys: AuditMacKeys,
  now = new Date(),
  localDeviceId?: string,
): Promise<ChainReport> {
  return db.transaction('r', [db.audit, db.meta], async () => {
    const rows = (await db.audit.toArray()) as StoredAuditRow[];
    const headRows = await db.meta.where('key').startsWith('audit-head:').toArray();
    const heads: Record<string, ChainHead> = {};
    for (const m of headRows) heads[m.key.slice('audit-head:'.length)] = m.value as ChainHead;
    const report = verifyAuditRows(rows, heads, now, localDeviceId, keys);
    // The newest events deleted with the head moved back: only the server's checkpoint shows it.
    return checkServerCheckpoints(report, rows, await readServerCheckpoints(db), localDeviceId);
  });
}
