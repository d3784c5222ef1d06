/**
 * The administrator's view of the audit log (HIPAA 45 CFR 164.312(b) audit controls; 164.308
 * (a)(1)(ii)(D) information system activity review). Reading it is itself restricted to
 * administrators, and every export of it is audited.
 */
import type { AuditAction, RecordKind } from '../../shared/model';
import {
  type Disclosure,
  type DisclosureDetail,
  auditDetailWords,
  disclosureDetail,
  readDisclosure,
} from '../../shared/rules/disclosures';
import type { Collection } from 'dexie';
import { RuleError } from '../../shared/rules/errors';
import { kindWords } from '../../shared/rules/lifecycle';
import { chainStateOf } from '../trust/chain-store';
import {
  type ChainHead,
  type ChainReport,
  type StoredAuditRow,
  chainHeadKey,
  verifyAuditChain,
} from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import type { AuditRow } from './database';
import { auditSealText, checkAuditSeal, parseAuditSeal, type SealCheck } from './audit-seal';
import { decryptText, keyForVersion } from './record-crypto';
import { auditAad, type RecordStore } from './record-store';

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

/** A patient's name as the log shows it ("Okafor, Maya"), when the caller already holds names. */
export type PatientNames = (patientId: string) => string | undefined;

/** Events matching the filter, newest first, with user and patient names filled in. */
export async function listAuditEvents(
  store: RecordStore,
  filter: AuditFilter = {},
  /** Names already in memory (the screen's patient index); otherwise every patient is read. */
  patientNames?: PatientNames,
): Promise<AuditEntry[]> {
  assertAuditReviewer(store);
  const rows = await matchingRows(store, filter);
  const entries = await describeAuditRows(store, rows, patientNames);
  return entries.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}

/**
 * The newest `limit` events of the filter and how many there are in all (issue 20: the log read
 * and decrypted all 119,100 events of a 2,000-patient clinic, 2.4 s, before drawing a row). With
 * only a review period, the `at` index gives both without reading the others; a user, patient or
 * action filter reads its matching events whole (its narrowest index), so `entries` is all of them.
 */
export async function newestAuditEvents(
  store: RecordStore,
  filter: AuditFilter,
  limit: number,
  patientNames?: PatientNames,
): Promise<{ total: number; entries: AuditEntry[] }> {
  assertAuditReviewer(store);
  if (filter.userId || filter.patientId || filter.action) {
    const entries = await listAuditEvents(store, filter, patientNames);
    return { total: entries.length, entries };
  }
  const period = () =>
    store.db.audit.where('at').between(filter.from ?? '', filter.to ?? '\uffff', true, true);
  // Newest first: the index's order reversed, ties by id descending, as `listAuditEvents` sorts.
  const [total, rows] = await Promise.all([
    period().count(),
    period().reverse().limit(limit).toArray(),
  ]);
  return { total, entries: await describeAuditRows(store, rows as StoredAuditRow[], patientNames) };
}

/**
 * The rows of the filter, read through the index that holds the fewest of them: a patient's
 * events, one action's, one user's or the period's (counted first when there is a choice, since
 * "Viewed chart" may be half the log and a week of it a few hundred events).
 */
async function matchingRows(store: RecordStore, filter: AuditFilter): Promise<StoredAuditRow[]> {
  const { db } = store;
  const from = filter.from ?? '';
  const to = filter.to ?? '\uffff';
  const ways: (() => Collection<AuditRow, string>)[] = [];
  if (filter.patientId) ways.push(() => db.audit.where('patientId').equals(filter.patientId!));
  if (filter.action) ways.push(() => db.audit.where('action').equals(filter.action!));
  if (filter.userId) ways.push(() => db.audit.where('userId').equals(filter.userId!));
  if (!ways.length || filter.from || filter.to)
    ways.push(() => db.audit.where('at').between(from, to, true, true));
  let way = ways[0]!;
  if (ways.length > 1) {
    const counts = await Promise.all(ways.map((w) => w().count()));
    way = ways[counts.indexOf(Math.min(...counts))]!;
  }
  return (await way().toArray()).filter(
    (r) =>
      r.at >= from &&
      r.at <= to &&
      (!filter.userId || r.userId === filter.userId) &&
      (!filter.patientId || r.patientId === filter.patientId) &&
      (!filter.action || r.action === filter.action),
  ) as StoredAuditRow[];
}

/** Stored rows in a reviewer's words: names, the computer, the decrypted detail. */
async function describeAuditRows(
  store: RecordStore,
  rows: StoredAuditRow[],
  patientNames?: PatientNames,
): Promise<AuditEntry[]> {
  const { db, session } = store;
  const [users, patients] = await Promise.all([
    store.listKind('user'),
    patientNames ? undefined : store.listKind('patient'),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.displayName]));
  const names = patients && new Map(patients.map((p) => [p.id, `${p.lastName}, ${p.firstName}`]));
  const patientName = patientNames ?? ((id: string) => names?.get(id));
  const chainDevices = (await chainStateOf(db))?.devices;
  const deviceLabels = new Map<string, string>();
  const deviceLabel = (deviceId: string) => {
    let label = deviceLabels.get(deviceId);
    if (label === undefined) {
      label = deviceWordsFor(deviceId, session.deviceId, chainDevices, userName);
      deviceLabels.set(deviceId, label);
    }
    return label;
  };
  return Promise.all(
    rows.map(async (r): Promise<AuditEntry> => {
      let detail = '';
      if (r.detail) {
        try {
          const key = keyForVersion(session, r.detail.keyVersion);
          detail = await decryptText(r.detail, key, auditAad(session.clinicId, r.id));
        } catch {
          detail = '(detail cannot be read: changed or under another key)';
        }
      }
      const disclosure = readDisclosure(detail);
      return {
        id: r.id,
        seq: r.seq,
        at: r.at,
        action: r.action,
        userId: r.userId,
        userName: r.userId ? (userName.get(r.userId) ?? 'Unknown user') : 'Unknown user name',
        deviceId: r.deviceId,
        deviceLabel: deviceLabel(r.deviceId),
        recordKind: r.recordKind as RecordKind | '',
        recordWords: r.recordKind ? capitalise(kindWords(r.recordKind as RecordKind)) : '',
        recordId: r.recordId,
        patientId: r.patientId,
        patientName: r.patientId ? (patientName(r.patientId) ?? '') : '',
        detail: disclosure ? auditDetailWords(detail) : detail,
        ...(disclosure && { disclosure }),
      };
    }),
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const shortId = (deviceId: string) => deviceId.slice(0, 6);

/** Which computer wrote an event, in words a reviewer recognises (the full id stays in the CSV). */
export function deviceWordsFor(
  deviceId: string,
  thisDevice: string,
  chainDevices: ReadonlyMap<string, { owner: string }> | undefined,
  userName: ReadonlyMap<string, string>,
): string {
  if (!deviceId) return '';
  if (deviceId === thisDevice) return 'This computer';
  const owner = chainDevices?.get(deviceId)?.owner;
  const name = owner && userName.get(owner);
  return name ? `${name}’s computer (${shortId(deviceId)})` : `Computer ${shortId(deviceId)}`;
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
