/**
 * Reading the audit log for review: the rows of a filter, read through the narrowest index and,
 * for a whole period, in steps; and the rows in a reviewer's words (audit-repository.ts).
 */
import type { Collection } from 'dexie';
import type { RecordKind } from '../../shared/model';
import { auditDetailWords, readDisclosure } from '../../shared/rules/disclosures';
import { kindWords } from '../../shared/rules/lifecycle';
import { chainStateOf } from '../trust/chain-store';
import type { StoredAuditRow } from './audit-chain';
import type { AuditEntry, AuditFilter } from './audit-repository';
import type { AuditRow, KatDatabase } from './database';
import { decryptText, keyForVersion } from './record-crypto';
import { auditAad, type RecordStore } from './record-store';

/** A patient's name as the log shows it ("Okafor, Maya"), when the caller already holds names. */
export type PatientNames = (patientId: string) => string | undefined;

/**
 * Rows of a whole period read at a time: at 119,100 events one read held the screen for about
 * half a second after the first page was drawn (IndexedDB hands the rows over in one callback).
 */
export const PERIOD_STEP = 5_000;

/**
 * The rows of the filter, read through the index that holds the fewest of them: a patient's
 * events, one action's, one user's or the period's (counted first when there is a choice, since
 * "Viewed chart" may be half the log and a week of it a few hundred events). A period alone is
 * read oldest first in steps of `PERIOD_STEP`, the screen's turn between steps.
 */
export async function* matchingAuditRows(
  db: KatDatabase,
  filter: AuditFilter,
  step = PERIOD_STEP,
): AsyncGenerator<StoredAuditRow[]> {
  const from = filter.from ?? '';
  const to = filter.to ?? '\uffff';
  const ways: (() => Collection<AuditRow, string>)[] = [];
  if (filter.patientId) ways.push(() => db.audit.where('patientId').equals(filter.patientId!));
  if (filter.action) ways.push(() => db.audit.where('action').equals(filter.action!));
  if (filter.userId) ways.push(() => db.audit.where('userId').equals(filter.userId!));
  if (!ways.length) {
    yield* periodInSteps(db, from, to, step);
    return;
  }
  if (filter.from || filter.to) ways.push(() => db.audit.where('at').between(from, to, true, true));
  let way = ways[0]!;
  if (ways.length > 1) {
    const counts = await Promise.all(ways.map((w) => w().count()));
    way = ways[counts.indexOf(Math.min(...counts))]!;
  }
  yield (await way().toArray()).filter(
    (r) =>
      r.at >= from &&
      r.at <= to &&
      (!filter.userId || r.userId === filter.userId) &&
      (!filter.patientId || r.patientId === filter.patientId) &&
      (!filter.action || r.action === filter.action),
  ) as StoredAuditRow[];
}

/**
 * The period in index order, `step` rows at a time. A step ends inside the events of its last
 * instant: those are read whole with the next `equals`, and the next step starts after that
 * instant, so none is read twice or skipped however many share it.
 */
async function* periodInSteps(
  db: KatDatabase,
  from: string,
  to: string,
  step: number,
): AsyncGenerator<StoredAuditRow[]> {
  let lower = from;
  let withLower = true;
  for (;;) {
    const rows = (await db.audit
      .where('at')
      .between(lower, to, withLower, true)
      .limit(step)
      .toArray()) as StoredAuditRow[];
    if (rows.length < step) {
      yield rows;
      return;
    }
    const last = rows[rows.length - 1]!.at;
    const sameInstant = (await db.audit.where('at').equals(last).toArray()) as StoredAuditRow[];
    yield [...rows.filter((r) => r.at !== last), ...sameInstant];
    lower = last;
    withLower = false;
    await new Promise((resolve) => setTimeout(resolve));
  }
}

/** Turns stored rows into a reviewer's words: names, the computer, the decrypted detail. */
export async function auditDescriber(
  store: RecordStore,
  patientNames?: PatientNames,
): Promise<(rows: StoredAuditRow[]) => Promise<AuditEntry[]>> {
  const { db, session } = store;
  const [users, patients, chain] = await Promise.all([
    store.listKind('user'),
    patientNames ? undefined : store.listKind('patient'),
    chainStateOf(db),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.displayName]));
  const names = patients && new Map(patients.map((p) => [p.id, `${p.lastName}, ${p.firstName}`]));
  const patientName = patientNames ?? ((id: string) => names?.get(id));
  const chainDevices = chain?.devices;
  const deviceLabels = new Map<string, string>();
  const deviceLabel = (deviceId: string) => {
    let label = deviceLabels.get(deviceId);
    if (label === undefined) {
      label = deviceWordsFor(deviceId, session.deviceId, chainDevices, userName);
      deviceLabels.set(deviceId, label);
    }
    return label;
  };
  return (rows: StoredAuditRow[]) =>
    Promise.all(
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
