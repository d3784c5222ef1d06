/**
 * The administrator's view of the audit log (HIPAA 45 CFR 164.312(b) audit controls; 164.308
 * (a)(1)(ii)(D) information system activity review). Reading it is itself restricted to
 * administrators, and every export of it is audited.
 */
import type { AuditAction, RecordKind } from '../../shared/model';
import {
  type Disclosure,
  type DisclosureDetail,
  disclosureDetail,
} from '../../shared/rules/disclosures';
import { RuleError } from '../../shared/rules/errors';
import {
  type ChainHead,
  type ChainReport,
  type StoredAuditRow,
  chainHeadKey,
  verifyAuditChain,
} from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import { type PatientNames, auditDescriber, matchingAuditRows } from './audit-rows';
import { auditSealText, checkAuditSeal, parseAuditSeal, type SealCheck } from './audit-seal';
import type { RecordStore } from './record-store';

export { deviceWordsFor, type PatientNames } from './audit-rows';

export type AuditFilter = {
  userId?: string;
  patientId?: string;
  action?: AuditAction;
  /** ISO instants, inclusive; no cap on the span (issue 7: "no three-month cap"). */
  from?: string;
  to?: string;
};

export type AuditEntry = {
  id: string;
  seq?: number;
  at: string;
  action: AuditAction;
  userId: string;
  userName: string;
  deviceId: string;
  /** The computer in words: "This computer", "Sam Lee’s computer (3f9a1c)", or "Computer 3f9a1c". */
  deviceLabel: string;
  recordKind: RecordKind | '';
  /** The record kind in words ("Controlled-substance log entry"), blank for events with none. */
  recordWords: string;
  recordId: string;
  patientId: string;
  patientName: string;
  /** In words: a print's or export's recipient and purpose spelled out (see `disclosure`). */
  detail: string;
  /** Who a print or export went to, and why, when that was asked (shared/rules/disclosures). */
  disclosure?: DisclosureDetail;
};

export function assertAuditReviewer(store: RecordStore) {
  if (!store.roles.includes('administrator'))
    throw new RuleError(
      'permission.denied',
      'Only an administrator can review the audit log. Ask your clinic’s administrator.',
    );
}

/** Events matching the filter, newest first, with user and patient names filled in. */
export async function listAuditEvents(
  store: RecordStore,
  filter: AuditFilter = {},
  /** Names already in memory (the screen's patient index); otherwise every patient is read. */
  patientNames?: PatientNames,
  /**
   * Asked between steps of a long read: false once nobody waits for it (the reviewer chose
   * another period), and what was read so far is returned, to be dropped.
   */
  stillWanted: () => boolean = () => true,
): Promise<AuditEntry[]> {
  assertAuditReviewer(store);
  const describe = await auditDescriber(store, patientNames);
  const entries: AuditEntry[] = [];
  for await (const rows of matchingAuditRows(store.db, filter)) {
    for (const e of await describe(rows)) entries.push(e);
    if (!stillWanted()) break;
  }
  return entries.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}

/**
 * The newest `limit` events of the filter (issue 20: the log read and decrypted all 119,100
 * events of a 2,000-patient clinic, 2.4 s, before drawing a row). With only a review period they
 * come from the `at` index without reading the others, and `total` is known only when there are
 * fewer than `limit` (IndexedDB counts an index range by walking it: ~1.5 s at 119,100 events).
 * A user, patient or action filter reads its events whole (its narrowest index), `total` known.
 */
export async function newestAuditEvents(
  store: RecordStore,
  filter: AuditFilter,
  limit: number,
  patientNames?: PatientNames,
): Promise<{ total?: number; entries: AuditEntry[] }> {
  assertAuditReviewer(store);
  if (filter.userId || filter.patientId || filter.action) {
    const entries = await listAuditEvents(store, filter, patientNames);
    return { total: entries.length, entries };
  }
  // Newest first: the index's order reversed, ties by id descending, as `listAuditEvents` sorts.
  const [rows, describe] = await Promise.all([
    store.db.audit
      .where('at')
      .between(filter.from ?? '', filter.to ?? '\uffff', true, true)
      .reverse()
      .limit(limit)
      .toArray(),
    auditDescriber(store, patientNames),
  ]);
  const entries = await describe(rows as StoredAuditRow[]);
  return rows.length < limit ? { total: rows.length, entries } : { entries };
}

const CSV_COLUMNS: [keyof AuditEntry, string][] = [
  ['at', 'When (UTC)'],
  ['action', 'Action'],
  ['userName', 'User'],
  ['userId', 'User id'],
  ['patientName', 'Patient'],
  ['patientId', 'Patient id'],
  ['recordWords', 'Record'],
  ['recordKind', 'Record kind'],
  ['recordId', 'Record id'],
  ['detail', 'Detail'],
  ['deviceLabel', 'Computer'],
  ['deviceId', 'Device'],
  ['seq', 'Chain position'],
];

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (= + - @, tab, CR) get a leading
 * apostrophe (OWASP "CSV injection"): names and reasons are typed by people.
 */
export function auditCsv(entries: AuditEntry[]): string {
  const cell = (v: unknown) => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.map(([, h]) => cell(h)).join(',')];
  for (const e of entries) lines.push(CSV_COLUMNS.map(([k]) => cell(e[k])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Records that the log left the app, with what and how much (the export is itself audited). */
export async function auditLogExported(
  store: RecordStore,
  format: 'CSV' | 'PDF',
  count: number,
  filter: AuditFilter,
  disclosure: Disclosure,
  /** Patients the exported events name: each one's accounting lists the export when it left. */
  patients: readonly string[] = [],
) {
  assertAuditReviewer(store);
  const range = [filter.from?.slice(0, 10), filter.to?.slice(0, 10)].filter(Boolean).join(' to ');
  await store.audit('export', {
    patientId: filter.patientId,
    detail: disclosureDetail(
      `Audit log ${format}, ${count} event${count === 1 ? '' : 's'}${range ? `, ${range}` : ''}`,
      disclosure,
      patients,
    ),
  });
}

/** Checks every device's chain on this computer (administrators only). */
export async function verifyAuditLog(store: RecordStore): Promise<ChainReport> {
  assertAuditReviewer(store);
  return verifyAuditChain(
    store.db,
    await auditMacKeysFor(store.session),
    new Date(),
    store.session.deviceId,
  );
}

/** This computer's audit seal now: print it and file it, outside the computer (audit-seal.ts). */
export async function currentAuditSeal(store: RecordStore, now = new Date()): Promise<string> {
  assertAuditReviewer(store);
  const { deviceId } = store.session;
  const head = (await store.db.meta.get(chainHeadKey(deviceId)))?.value as ChainHead | undefined;
  return auditSealText(deviceId, head ?? { seq: 0, hash: '' }, now);
}

/** Checks a seal typed from paper or read from a backup's header against the log here. */
export async function checkSealAgainstLog(store: RecordStore, text: string): Promise<SealCheck> {
  assertAuditReviewer(store);
  const seal = parseAuditSeal(text);
  if (!seal)
    return {
      ok: false,
      message:
        'That is not an audit seal. Type it as printed: the computer (8 characters), the event number and the 16-character code.',
    };
  return checkAuditSeal((await store.db.audit.toArray()) as StoredAuditRow[], seal);
}
