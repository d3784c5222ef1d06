/**
 * Gives the render bench's demo clinic the audit trail such a clinic accumulates (issue 20: "open
 * the audit log over a year"). The in-app demo writes no audit events (shared/demo/audit.ts says
 * why), so this page, served from the app's own origin, opens the app's database, signs in as the
 * prescriber (who may read every record the trail is drawn from; the administrator may not read
 * notes) with the app's sign-in, builds each event with the record store's own audit-row
 * code (id, time, encrypted detail) under the event's time, and appends them all with the app's
 * `appendAuditEvents` (hash chain keyed with the session's audit key, outbox rows): the rows are
 * what the app itself would have written, in one transaction, so a failure leaves none.
 */
import { demoAuditTrail } from '../../../shared/demo/audit';
import type { AnyRecord, AuditAction, RecordKind } from '../../../shared/model';
import { appendAuditEvents } from '../../../renderer/db/audit-chain';
import { auditMacFor } from '../../../renderer/db/audit-key';
import { signIn } from '../../../renderer/db/auth';
import { type AuditRow, KatDatabase } from '../../../renderer/db/database';
import { RecordStore } from '../../../renderer/db/record-store';

/** What the trail is drawn from: the kinds shared/demo/audit.ts looks at. */
const KINDS: RecordKind[] = [
  'patient',
  'appointment',
  'encounter',
  'note',
  'integration-summary',
  'dose',
  'eligibility',
  'signed-consent',
];

type AuditRefs = { recordKind?: string; recordId?: string; patientId?: string; detail?: string };

async function auditTrail(
  username: string,
  passphrase: string,
): Promise<{ events: number; fromAt: string; toAt: string; already: boolean; ms: number }> {
  const t0 = performance.now();
  const db = new KatDatabase();
  const session = await signIn(db, username, passphrase);
  let clock = new Date();
  const store = new RecordStore(db, session, () => clock);
  const records: AnyRecord[] = [];
  for (const kind of KINDS) records.push(...(await store.listKind(kind)));
  const users = await store.listKind('user');
  const staff = (name: string) => {
    const u = users.find((x) => x.username === name);
    if (!u) throw new Error(`the demo clinic has no user ${name}`);
    return { id: u.id, name: u.displayName };
  };
  const trail = demoAuditTrail(records, {
    clinicId: session.clinicId,
    deviceId: session.deviceId,
    staff: { prescriber: staff('sam'), therapist: staff('dana'), manager: staff('jordan') },
  });
  const first = trail[0]!;
  const done = (already: boolean) => ({
    events: trail.length,
    fromAt: first.at,
    toAt: trail.at(-1)!.at,
    already,
    ms: performance.now() - t0,
  });
  // Written before (by an earlier run that stopped before noting it): not again.
  const there = await db.audit.where('at').equals(first.at).toArray();
  if (there.some((r) => r.action === first.action && r.recordId === (first.recordId ?? '')))
    return done(true);
  // The store's own row builder (private: the app calls it for its own events only).
  const auditRow = (
    store as unknown as { auditRow: (a: AuditAction, r: AuditRefs) => Promise<AuditRow> }
  ).auditRow.bind(store);
  const rows: AuditRow[] = [];
  for (const e of trail) {
    clock = new Date(e.at);
    const row = await auditRow(e.action, {
      recordKind: e.recordKind,
      recordId: e.recordId,
      patientId: e.patientId,
      detail: e.detail,
    });
    // Whoever did it: the session is the prescriber's, the event is the staff member's.
    rows.push({ ...row, userId: e.userId ?? row.userId });
  }
  await appendAuditEvents(db, rows, await auditMacFor(session));
  db.close();
  return done(false);
}

(globalThis as unknown as { katSeed: unknown }).katSeed = { auditTrail };
