/**
 * The local store: the only module that defines IndexedDB tables. Rows hold ids, kinds, dates and
 * status in the clear (for indexes) and everything else as AES-GCM ciphertext (ARCHITECTURE.md,
 * "Keys never leave in the clear"). Versions are only ever added, never edited (STYLE.md §7).
 */
import Dexie, { type Table } from 'dexie';
import type { AUDIT_EVENT_KIND, AuditAction, RecordKind, RecordStatus } from '../../shared/model';
import type { KdfParams, WrappedKey } from '../../shared/crypto/passphrase';
import type { HeldAuthor } from '../../shared/trust/change-author';
import { MIGRATIONS } from './migrations';
import type { PushedRow, SeenRow, SyncIssue } from './sync-state';
import type { HeldBundle } from './sync-held';

export type RecordRow = {
  id: string;
  kind: RecordKind;
  /** The patient a record belongs to (an id, not PHI); '' for clinic-level records. */
  patientId: string;
  /** Sort date for timelines (ISO instant): encounter start, note creation, … */
  date: string;
  status: RecordStatus;
  /** HLC of the last change. */
  updatedAt: string;
  keyVersion: number;
  iv: Uint8Array;
  ct: Uint8Array;
  /**
   * Who wrote this version, with their signature over it (shared/trust/change-author.ts): made
   * here at the write, or received with the change. A push carries it; rows from before it, or
   * whose version no signature covers (a merge made here), have none.
   */
  author?: HeldAuthor;
};

export type OutboxRow = {
  seq?: number;
  changeId: string;
  recordId: string;
  /** 'audit-event' for an audit event queued for sync (renderer/db/audit-sync.ts). */
  kind: RecordKind | typeof AUDIT_EVENT_KIND;
  hlc: string;
  /** The writer's signature over the version this change made (change-author.ts). */
  author?: HeldAuthor;
};

export type AuditRow = {
  id: string;
  at: string;
  userId: string;
  deviceId: string;
  action: AuditAction;
  recordKind: string;
  recordId: string;
  patientId: string;
  /** Encrypted free text (a reason, a file name), when there is one. */
  detail?: { keyVersion: number; iv: Uint8Array; ct: Uint8Array };
};

/** What sign-in needs before any key is open: per user, the data key wrapped under their passphrase. */
export type KeyringRow = {
  userId: string;
  username: string;
  kdf: KdfParams;
  wrapped: WrappedKey[];
};

/** Encrypted scratch copies of unsaved form input (see use-form-draft), keyed by form. */
export type DraftRow = {
  key: string;
  userId: string;
  savedAt: string;
  keyVersion: number;
  iv: Uint8Array;
  ct: Uint8Array;
};

export type MetaRow = { key: string; value: unknown };

export class KatDatabase extends Dexie {
  records!: Table<RecordRow, string>;
  outbox!: Table<OutboxRow, number>;
  audit!: Table<AuditRow, string>;
  keyring!: Table<KeyringRow, string>;
  drafts!: Table<DraftRow, string>;
  meta!: Table<MetaRow, string>;
  /** v3, sync (renderer/db/sync-state.ts): quarantined bundles, rejected changes, clock drift. */
  syncIssues!: Table<SyncIssue, number>;
  /** v3, sync: remote versions of each record already taken in. */
  syncSeen!: Table<SeenRow, string>;
  /** v3, sync: the last version of each record this device pushed, and when. */
  syncPushed!: Table<PushedRow, string>;
  /** v5, sync: pulled changes held for a transient reason, retried every round (sync-held.ts). */
  syncHeld!: Table<HeldBundle, string>;

  constructor(name = 'kat-chart') {
    super(name);
    for (const m of MIGRATIONS) {
      const v = this.version(m.version).stores(m.stores);
      if (m.upgrade) v.upgrade(m.upgrade);
    }
  }
}

export const CURRENT_DB_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
