/**
 * The repository core every record kind goes through. One write = rule checks (role, lifecycle,
 * schema), encryption, then ONE Dexie transaction holding the record, an HLC-stamped outbox change
 * and an audit event. WebCrypto calls are made before the transaction opens: an IndexedDB
 * transaction commits itself as soon as it waits on anything that is not IndexedDB.
 */
import { z } from 'zod';
import {
  type AnyRecord,
  type AuditAction,
  type MetaKeys,
  type OutcomeMeasure,
  type RecordKind,
  type RecordOfKind,
  type RecordStatus,
  SCHEMAS,
  SCHEMA_VERSION,
} from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { chartAlerts } from '../../shared/rules/measures';
import { EMERGENCY_READ_MARK } from '../../shared/rules/emergency-review';
import {
  assertLifecycleWrite,
  kindWords,
  markEnteredInError,
  signRecord,
} from '../../shared/rules/lifecycle';
import {
  type Action,
  assertCan,
  can,
  collectsQuestionnaires,
} from '../../shared/rules/permissions';
import { uuidv7 } from '../../shared/util/ids';
import { AccessRefusedError, RefusalLog, writeOutside } from './access-refused';
import { appendAuditEvents } from './audit-chain';
import { auditMacFor } from './audit-key';
import { CHART_KINDS, restrictedDaysOf } from './break-glass';
import type { AuditRow, KatDatabase, OutboxRow, RecordRow } from './database';
import { encryptRecord, encryptText, indexFields, openRecordRow } from './record-crypto';
import type { Session } from './session';
import { chainStateOf } from '../trust/chain-store';
import { currentMember } from '../../shared/trust/chain-state';
import { authorSignature } from '../trust/authors';
import type { HeldAuthor } from '../../shared/trust/change-author';

export type BodyOf<K extends RecordKind> = Omit<RecordOfKind<K>, MetaKeys>;
export type AuditRefs = {
  recordKind?: RecordKind;
  recordId?: string;
  patientId?: string;
  detail?: string;
};
export type RecordChange = { kind: RecordKind; record: AnyRecord };
type Prepared = {
  before?: AnyRecord;
  /** Set when `before` came from this store's cache: the IV of the row it wrote. */
  beforeIv?: Uint8Array;
  after: AnyRecord;
  row: RecordRow;
  audit: AuditRow;
  change: OutboxRow;
};

export class ValidationError extends RuleError {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(
      'validation',
      `Please check: ${issues.map((i) => `${i.path.join('.') || 'value'} — ${i.message}`).join('; ')}`,
    );
  }
}

export class ConcurrentEditError extends RuleError {
  constructor(what: string) {
    super(
      'concurrent-edit',
      `This ${what} was changed in another window or on another device a moment ago. Reopen it to see the latest version, then make your change again.`,
    );
  }
}

export const auditAad = (clinicId: string, id: string) => `kat:audit:v1|${clinicId}|${id}`;

export class RecordStore {
  private listeners = new Set<(changes: RecordChange[]) => void>();
  /**
   * The version of each record this store wrote last (the newest few dozen). An autosave edits
   * the draft it saved a moment ago, so update() starts from that copy instead of reading and
   * decrypting it again. Safe: the write transaction still checks that the stored version is the
   * one edited, and on a mismatch update() reads what is stored and applies the change to that.
   */
  /**
   * The last version this store wrote of recent records, with the IV of the row it wrote: an edit
   * starts from it only while the stored row is still that very row. A sync merge may store other
   * content under the same `updatedAt` (a merged draft keeps the newer clock of its two sides), so
   * the clock alone does not tell (convergence property test: a title merged in from another
   * computer was overwritten by the next local edit).
   */
  private readonly written = new Map<string, { record: AnyRecord; iv: Uint8Array }>();

  constructor(
    readonly db: KatDatabase,
    readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Called after every committed write (local or applied from sync). */
  onChange(listener: (changes: RecordChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Records another device wrote, just applied by sync (renderer/db/sync-apply.ts, which wrote
   * them in its own transaction): listeners hear of them exactly as of local writes.
   */
  announceRemote(changes: RecordChange[]) {
    for (const c of changes) this.written.delete(c.record.id);
    if (changes.length) this.emit(changes);
  }

  get roles() {
    return this.session.user.roles;
  }

  canRead(kind: RecordKind) {
    return can(this.roles, 'read', kind);
  }

  /**
   * Emergency access ("break the glass", HIPAA 45 CFR 164.312(a)(2)(ii)): reading one patient's
   * whole chart beyond this role until a time. Granted only by renderer/db/break-glass.ts, which
   * audits the reason first; it lives in this store, so locking or signing out ends it. Reads only:
   * writing still follows the role.
   */
  private emergency?: { patientId: string; until: number };

  grantEmergencyAccess(patientId: string, until: Date) {
    this.emergency = { patientId, until: until.getTime() };
  }

  emergencyAccess(): { patientId: string; until: Date } | undefined {
    const e = this.emergency;
    return e && this.now().getTime() < e.until
      ? { patientId: e.patientId, until: new Date(e.until) }
      : undefined;
  }

  /** Ends emergency access early (the banner's "End now"). */
  endEmergencyAccess() {
    this.emergency = undefined;
  }

  /** Whether this user may read `kind` in this patient's chart: by role, or by emergency access. */
  mayReadChart(kind: RecordKind, patientId: string) {
    return this.mayRead(kind, patientId);
  }

  private mayRead(kind: RecordKind, patientId: string) {
    return (
      this.canRead(kind) ||
      (!!patientId && CHART_KINDS.includes(kind) && this.emergencyAccess()?.patientId === patientId)
    );
  }

  private readonly refusals = new RefusalLog();

  /**
   * Refuses an access the role does not allow: logs it (once per few minutes for the same attempt,
   * since live queries re-run) and throws an error a screen can turn into "You don't have access".
   */
  private refuse(action: Action, kind: RecordKind, patientId = '', recordId = ''): never {
    let message = '';
    try {
      assertCan(this.roles, action, kind);
    } catch (e) {
      message = (e as Error).message;
    }
    if (this.refusals.shouldLog(`${action}|${kind}|${patientId}|${recordId}`))
      writeOutside(() =>
        this.audit('access-refused', {
          recordKind: kind,
          recordId: recordId || undefined,
          patientId: patientId || undefined,
          detail: message,
        }),
      );
    throw new AccessRefusedError(message, action, kind, patientId);
  }

  private assertMay(action: Action, kind: RecordKind, patientId?: string, recordId?: string) {
    if (!can(this.roles, action, kind)) this.refuse(action, kind, patientId, recordId);
  }

  async get<K extends RecordKind>(kind: K, id: string): Promise<RecordOfKind<K> | undefined> {
    const row = await this.db.records.get(id);
    if (!this.mayRead(kind, row?.patientId ?? '')) this.refuse('read', kind, row?.patientId, id);
    if (!row || row.kind !== kind) return undefined;
    return (await this.decrypt(row)) as RecordOfKind<K>;
  }

  async listByPatient<K extends RecordKind>(
    kind: K,
    patientId: string,
  ): Promise<RecordOfKind<K>[]> {
    if (!this.mayRead(kind, patientId)) this.refuse('read', kind, patientId);
    const rows = await this.db.records
      .where('[kind+patientId]')
      .equals([kind, patientId])
      .toArray();
    return (await Promise.all(rows.map((r) => this.decrypt(r)))) as RecordOfKind<K>[];
  }

  async listKind<K extends RecordKind>(kind: K): Promise<RecordOfKind<K>[]> {
    if (!this.canRead(kind)) this.refuse('read', kind);
    const rows = await this.db.records.where('kind').equals(kind).toArray();
    return (await Promise.all(rows.map((r) => this.decrypt(r)))) as RecordOfKind<K>[];
  }

  /**
   * Records of one kind in one lifecycle state (the drafts still to sign), read through the
   * [kind+status] index so that only those are decrypted, not every note the clinic has.
   */
  async listKindInStatus<K extends RecordKind>(
    kind: K,
    status: RecordStatus,
  ): Promise<RecordOfKind<K>[]> {
    assertCan(this.roles, 'read', kind);
    const rows = await this.db.records.where('[kind+status]').equals([kind, status]).toArray();
    return (await Promise.all(rows.map((r) => this.decrypt(r)))) as RecordOfKind<K>[];
  }

  /** Records of one kind whose sort date (appointment start, visit start …) is in [from, to). */
  async listKindBetween<K extends RecordKind>(
    kind: K,
    from: Date,
    to: Date,
  ): Promise<RecordOfKind<K>[]> {
    assertCan(this.roles, 'read', kind);
    const rows = await this.db.records
      .where('[kind+date]')
      .between([kind, from.toISOString()], [kind, to.toISOString()], true, false)
      .toArray();
    return (await Promise.all(rows.map((r) => this.decrypt(r)))) as RecordOfKind<K>[];
  }

  /** Everything of one patient this user's role may read, newest first. */
  async patientRecords(patientId: string): Promise<AnyRecord[]> {
    return this.readable(await this.db.records.where('patientId').equals(patientId).toArray());
  }

  /**
   * A chart's records (patientRecords) and its restricted days (break-glass.ts restrictedDays)
   * from one read of the patient's rows (issue 20: the chart read them twice, 500 rows each).
   */
  async patientChart(
    patientId: string,
  ): Promise<{ records: AnyRecord[]; restricted: Map<string, Set<RecordKind>> }> {
    const rows = await this.db.records.where('patientId').equals(patientId).toArray();
    return {
      records: await this.readable(rows),
      restricted: restrictedDaysOf(this, patientId, rows),
    };
  }

  private async readable(rows: RecordRow[]): Promise<AnyRecord[]> {
    const readable = rows.filter((r) => this.mayRead(r.kind, r.patientId));
    const records = await Promise.all(readable.map((r) => this.decrypt(r)));
    return records.sort((a, b) => (indexFields(b).date < indexFields(a).date ? -1 : 1));
  }

  /** `id`: chosen beforehand when something else must name the record first (a new member). */
  async create<K extends RecordKind>(
    kind: K,
    body: BodyOf<K>,
    action: AuditAction = 'create',
    id?: string,
    detail?: string,
  ): Promise<RecordOfKind<K>> {
    this.assertMay('write', kind, (body as { patientId?: string }).patientId);
    const draft = this.newDraft(kind, body);
    return this.commit(undefined, id ? { ...draft, id } : draft, action, detail);
  }

  /**
   * A questionnaire the patient answered in patient mode, stored as a draft for a clinician's
   * review. The staff member who handed the device over may store it even when their role does
   * not record or read measures (a practice manager, permissions.collectsQuestionnaires); only a
   * measure marked completed by the patient, and reading it back stays refused to them.
   */
  async createPatientAnswers(body: BodyOf<'measure'>): Promise<RecordOfKind<'measure'>> {
    if (body.completedBy !== 'patient')
      throw new RuleError(
        'measure.not-patient-completed',
        'Only answers completed by the patient can be stored this way.',
      );
    if (!can(this.roles, 'write', 'measure') && !collectsQuestionnaires(this.roles))
      this.refuse('write', 'measure', body.patientId);
    return this.commit(undefined, this.newDraft('measure', body), 'create');
  }

  /**
   * Open suicide-risk alerts of a patient for a role that does not read measures (the front desk
   * who took the tablet back): when and how urgent, never which questionnaire, the answers or the
   * score. PRODUCT.md: a PHQ-9 item-9 answer above 0 (and a C-SSRS positive) "must raise a visible
   * alert"; whoever is with the patient must know to fetch a clinician now.
   */
  async safetyFlags(
    patientId: string,
  ): Promise<{ at: string; severity: 'critical' | 'warning' }[]> {
    const rows = await this.db.records
      .where('[kind+patientId]')
      .equals(['measure', patientId])
      .toArray();
    const measures = (await Promise.all(rows.map((r) => this.decrypt(r)))) as OutcomeMeasure[];
    return chartAlerts(measures).map((a) => ({ at: a.administeredAt, severity: a.severity }));
  }

  /**
   * Edit a draft. `change` receives the current version and returns the fields to replace.
   * `detail` (what changed, e.g. a setting's old and new value) goes on the audit event, sealed.
   */
  async update<K extends RecordKind>(
    kind: K,
    id: string,
    change: (current: RecordOfKind<K>) => Partial<BodyOf<K>>,
    detail?: string,
  ): Promise<RecordOfKind<K>> {
    this.assertMay('write', kind, undefined, id);
    const edit = (before: RecordOfKind<K>, beforeIv?: Uint8Array) =>
      this.commit(
        before,
        { ...before, ...change(before), updatedAt: this.session.clock.now() } as RecordOfKind<K>,
        'update',
        detail,
        beforeIv,
      );
    const recent = this.written.get(id);
    if (recent?.record.kind === kind) {
      try {
        return await edit(structuredClone(recent.record) as RecordOfKind<K>, recent.iv);
      } catch (e) {
        // Someone else wrote it since (another window, sync): start again from what is stored.
        if (!(e instanceof ConcurrentEditError)) throw e;
        this.written.delete(id);
      }
    }
    return edit(await this.mustGet(kind, id));
  }

  /** Sign a draft. The caller has re-checked the signer's passphrase (auth.verifyPassphrase). */
  async sign<K extends RecordKind>(kind: K, id: string): Promise<RecordOfKind<K>> {
    this.assertMay('sign', kind, undefined, id);
    const before = await this.mustGet(kind, id);
    const signed = await signRecord(before as never, await this.signer(), this.now());
    return this.commit(
      before,
      { ...(signed as object), updatedAt: this.session.clock.now() } as RecordOfKind<K>,
      'sign',
    );
  }

  /** Create a record that is final from the start (an addendum, a signed consent, a log entry). */
  async createSigned<K extends RecordKind>(
    kind: K,
    body: BodyOf<K>,
    action: AuditAction = 'create',
  ): Promise<RecordOfKind<K>> {
    this.assertMay('sign', kind, (body as { patientId?: string }).patientId);
    const signed = await signRecord(
      this.newDraft(kind, body) as never,
      await this.signer(),
      this.now(),
    );
    return this.commit(undefined, signed as RecordOfKind<K>, action);
  }

  /**
   * Sign a draft together with the signed records that follow from it (a dose and its
   * controlled-substance entry), in ONE transaction: a crash between them cannot leave one
   * without the other. `follow` sees the signed version and may refuse by throwing. `set`: fields
   * fixed as it is signed (the thresholds a dose was judged by), in the same write.
   */
  async signWith<K extends RecordKind, F extends RecordKind>(
    kind: K,
    id: string,
    follow: (
      signed: RecordOfKind<K>,
    ) => Promise<{ kind: F; body: BodyOf<F>; action?: AuditAction }[]>,
    set: Partial<BodyOf<K>> = {},
  ): Promise<{ signed: RecordOfKind<K>; created: RecordOfKind<F>[] }> {
    this.assertMay('sign', kind, undefined, id);
    const before = await this.mustGet(kind, id);
    const signer = await this.signer();
    const signed = {
      ...((await signRecord({ ...before, ...set } as never, signer, this.now())) as object),
      updatedAt: this.session.clock.now(),
    } as RecordOfKind<K>;
    const writes: Prepared[] = [await this.prepare(before, signed, 'sign')];
    for (const f of await follow(signed)) {
      this.assertMay('sign', f.kind, (f.body as { patientId?: string }).patientId);
      const made = await signRecord(this.newDraft(f.kind, f.body) as never, signer, this.now());
      writes.push(await this.prepare(undefined, made as RecordOfKind<F>, f.action ?? 'create'));
    }
    await this.writeAll(writes);
    return {
      signed: writes[0]!.after as RecordOfKind<K>,
      created: writes.slice(1).map((w) => w.after as RecordOfKind<F>),
    };
  }

  async markEnteredInError<K extends RecordKind>(
    kind: K,
    id: string,
    reason: string,
  ): Promise<RecordOfKind<K>> {
    this.assertMay('write', kind, undefined, id);
    const before = await this.mustGet(kind, id);
    const marked = markEnteredInError(
      before as never,
      this.session.user.id,
      this.now(),
      reason,
    ) as RecordOfKind<K>;
    return this.commit(
      before,
      { ...marked, updatedAt: this.session.clock.now() },
      'entered-in-error',
      reason,
    );
  }

  /** A signed correction linked to a signed record; the original stays as it was. */
  async addAddendum(target: AnyRecord, text: string, reason: string) {
    if (target.status !== 'signed')
      throw new RuleError(
        'addendum.target-unsigned',
        'Addenda are for signed records; edit the draft instead.',
      );
    const patientId = indexFields(target).patientId;
    return this.createSigned(
      'addendum',
      {
        patientId,
        targetId: target.id,
        targetKind: target.kind,
        text,
        reason,
        writtenAt: this.now().toISOString(),
      },
      'addendum',
    );
  }

  /** Record an audit event on its own (views, prints, exports, sign-ins). */
  async audit(action: AuditAction, refs: AuditRefs = {}): Promise<void> {
    const row = await this.auditRow(action, this.markEmergencyRead(action, refs));
    await appendAuditEvents(this.db, [row], await auditMacFor(this.session));
  }

  /** A read made possible only by emergency access says so, for the administrators' review. */
  private markEmergencyRead(action: AuditAction, refs: AuditRefs): AuditRefs {
    const access = this.emergencyAccess();
    if (action !== 'view' || !refs.patientId || access?.patientId !== refs.patientId) return refs;
    const why = EMERGENCY_READ_MARK;
    return { ...refs, detail: refs.detail ? `${refs.detail} · ${why}` : why };
  }

  /**
   * Bulk-write records that were made elsewhere (demo data, imports) in one transaction per call:
   * each still passes the schema and lifecycle checks; one audit event describes the batch.
   */
  async importRecords(
    records: AnyRecord[],
    note: string,
    /** Writers' signing keys by user id: a record is signed by its creator's when given here. */
    writers?: ReadonlyMap<string, CryptoKey>,
  ): Promise<void> {
    if (!this.roles.includes('administrator'))
      throw new RuleError('permission.denied', 'Only an administrator can import records in bulk.');
    const rows: RecordRow[] = [];
    const outbox: OutboxRow[] = [];
    for (const raw of records) {
      const record = this.parse(raw);
      if (record.clinicId !== this.session.clinicId)
        throw new RuleError('import.wrong-clinic', 'These records belong to another clinic.');
      await assertLifecycleWrite(undefined, record as never);
      const key = writers?.get(record.createdBy);
      const author = key
        ? await authorSignature(
            this.db,
            { user: { id: record.createdBy }, identity: { signing: { privateKey: key } } },
            record,
          )
        : await this.authorOf(record);
      const row = await encryptRecord(
        record,
        this.session.dataKey,
        this.session.keyVersion,
        indexFields(record),
      );
      rows.push(author ? { ...row, author } : row);
      outbox.push({
        changeId: uuidv7(),
        recordId: record.id,
        kind: record.kind,
        hlc: record.updatedAt,
        ...(author && { author }),
      });
    }
    const audit = await this.auditRow('demo-data', { detail: note });
    const mac = await auditMacFor(this.session);
    await this.db.transaction(
      'rw',
      [this.db.records, this.db.outbox, this.db.audit, this.db.meta],
      async () => {
        await this.db.records.bulkPut(rows);
        await this.db.outbox.bulkAdd(outbox);
        await appendAuditEvents(this.db, [audit], mac);
      },
    );
    this.emit(records.map((record) => ({ kind: record.kind, record })));
  }

  /** A new draft of `kind`: the store fills identity, authorship, clock and schema version. */
  private newDraft<K extends RecordKind>(kind: K, body: BodyOf<K>): RecordOfKind<K> {
    return {
      ...body,
      kind,
      id: uuidv7(this.now().getTime()),
      clinicId: this.session.clinicId,
      createdBy: this.session.user.id,
      createdAt: this.now().toISOString(),
      updatedAt: this.session.clock.now(),
      status: 'draft',
      schemaVersion: SCHEMA_VERSION,
    } as unknown as RecordOfKind<K>;
  }

  /**
   * Who signs, with their identity signing key and the chain length held here, so other computers
   * verify the signature against the membership chain (shared/trust/record-signature.ts).
   */
  private async signer() {
    const chain = await chainStateOf(this.db);
    // New keys set with the recovery key count only once an administrator confirms them (the
    // membership record names them): a signature made before would be refused everywhere else.
    const named = chain && currentMember(chain, this.session.user.id)?.keys.signingKey;
    const mine = this.session.identity?.signing?.publicKey;
    if (named && mine && named !== mine)
      throw new RuleError(
        'trust.keys-unconfirmed',
        'Your new keys (set with the recovery key) wait for an administrator to confirm them, so ' +
          'nothing can be signed yet: other computers would refuse the signature. The draft is ' +
          'kept. Show an administrator the numbers in Settings → Clinic server, then sign it.',
      );
    return {
      id: this.session.user.id,
      name: this.signerName(),
      signingKey: this.session.identity?.signing?.privateKey,
      chain: chain?.length ?? 0,
    };
  }

  /**
   * The signed-in member's signature over the version being written (change-author.ts): another
   * computer checks that their role may write it, whichever computer carries it. None without a
   * signing key (a sign-in from before the chain; its changes go unauthored).
   */
  private async authorOf(record: AnyRecord): Promise<HeldAuthor | undefined> {
    return authorSignature(this.db, this.session, record);
  }

  private signerName() {
    const u = this.session.user;
    return u.credentials ? `${u.displayName}, ${u.credentials}` : u.displayName;
  }

  private async mustGet<K extends RecordKind>(kind: K, id: string): Promise<RecordOfKind<K>> {
    const found = await this.get(kind, id);
    if (!found) throw new RuleError('not-found', `That ${kindWords(kind)} could not be found.`);
    return found;
  }

  private parse<K extends RecordKind>(record: unknown): RecordOfKind<K> {
    const kind = (record as { kind: K }).kind;
    const schema = SCHEMAS[kind];
    if (!schema) throw new RuleError('validation', 'Unknown kind of record.');
    const result = schema.safeParse(record);
    if (!result.success) throw new ValidationError(result.error.issues);
    return result.data as RecordOfKind<K>;
  }

  private async commit<K extends RecordKind>(
    before: RecordOfKind<K> | undefined,
    candidate: RecordOfKind<K>,
    action: AuditAction,
    detail?: string,
    beforeIv?: Uint8Array,
  ): Promise<RecordOfKind<K>> {
    const prepared = await this.prepare(before, candidate, action, detail);
    await this.writeAll([{ ...prepared, beforeIv }]);
    return prepared.after as RecordOfKind<K>;
  }

  /** Checks and encryption for one write, done before any transaction opens (see top). */
  private async prepare<K extends RecordKind>(
    before: RecordOfKind<K> | undefined,
    candidate: RecordOfKind<K>,
    action: AuditAction,
    detail?: string,
  ): Promise<Prepared> {
    const after = this.parse<K>(candidate);
    await assertLifecycleWrite(before as never, after as never);
    const index = indexFields(after);
    const author = await this.authorOf(after);
    const row = await encryptRecord(after, this.session.dataKey, this.session.keyVersion, index);
    if (author) row.author = author;
    const audit = await this.auditRow(action, {
      recordKind: after.kind,
      recordId: after.id,
      patientId: index.patientId,
      detail,
    });
    const change: OutboxRow = {
      changeId: uuidv7(),
      recordId: after.id,
      kind: after.kind,
      hlc: after.updatedAt,
      ...(author && { author }),
    };
    return { before, after, row, audit, change };
  }

  /** Prepared writes in ONE transaction: all of them are committed, or none. */
  private async writeAll(writes: Prepared[]): Promise<void> {
    const mac = await auditMacFor(this.session);
    await this.db.transaction(
      'rw',
      [this.db.records, this.db.outbox, this.db.audit, this.db.meta],
      async () => {
        const current = await this.db.records.bulkGet(writes.map((w) => w.after.id));
        writes.forEach(({ before, beforeIv, after }, i) => {
          // Optimistic check: nobody else wrote this record between our read and this transaction.
          if ((current[i]?.updatedAt ?? null) !== (before?.updatedAt ?? null))
            throw new ConcurrentEditError(kindWords(after.kind));
          if (beforeIv && !sameBytes(current[i]?.iv, beforeIv))
            throw new ConcurrentEditError(kindWords(after.kind));
        });
        // Issued together, in this order, in the same transaction: IndexedDB applies them in
        // order, and an autosave does not wait for each write's answer before sending the next.
        await Promise.all([
          ...writes.flatMap((w) => [this.db.records.put(w.row), this.db.outbox.add(w.change)]),
          appendAuditEvents(
            this.db,
            writes.map((w) => w.audit),
            mac,
          ),
          this.db.meta.put({ key: 'hlc', value: this.session.clock.latest }),
        ]);
      },
    );
    for (const { after, row } of writes) this.remember(after, row.iv);
    this.emit(writes.map(({ after }) => ({ kind: after.kind, record: after })));
  }

  private async auditRow(action: AuditAction, refs: AuditRefs): Promise<AuditRow> {
    const id = uuidv7(this.now().getTime());
    return {
      id,
      at: this.now().toISOString(),
      userId: this.session.user.id,
      deviceId: this.session.deviceId,
      action,
      recordKind: refs.recordKind ?? '',
      recordId: refs.recordId ?? '',
      patientId: refs.patientId ?? '',
      ...(refs.detail
        ? {
            detail: await encryptText(
              refs.detail,
              this.session.dataKey,
              this.session.keyVersion,
              auditAad(this.session.clinicId, id),
            ),
          }
        : {}),
    };
  }

  /** Each row opens with the key of the version it is sealed under (record-crypto.ts). */
  private decrypt(row: RecordRow) {
    return openRecordRow(row, this.session, this.session.clinicId);
  }

  private remember(record: AnyRecord, iv: Uint8Array) {
    this.written.delete(record.id);
    // A copy: callers own the objects they were given and may change them.
    this.written.set(record.id, { record: structuredClone(record), iv });
    if (this.written.size > 48) this.written.delete(this.written.keys().next().value!);
  }

  private emit(changes: RecordChange[]) {
    for (const l of this.listeners) l(changes);
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return !!a && a.length === b.length && a.every((x, i) => x === b[i]);
}
