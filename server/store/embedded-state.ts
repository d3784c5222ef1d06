/**
 * One clinic's state in the embedded store, rebuilt at start by replaying its journal and updated
 * by the same `apply` when an operation appends an event. Bundle bytes stay in the file; memory
 * holds only where they are.
 */
import type { AttachmentRef, JournalEvent } from './journal';
import type {
  AuditCheckpointRecord,
  DeviceRecord,
  EnrollmentCodeRecord,
  KeyBlobRecord,
  NewDevice,
  StoredBundle,
} from './store';

export type ClinicEvent =
  | { t: 'clinic'; clinicId: string; createdAt: string }
  | { t: 'device'; device: NewDevice }
  | { t: 'revoke'; deviceId: string; at: string }
  | { t: 'device-profile'; deviceId: string; profile: string }
  | { t: 'audit-checkpoint'; deviceId: string; checkpoint: AuditCheckpointRecord }
  | { t: 'code'; code: EnrollmentCodeRecord }
  | { t: 'code-used'; codeHash: string; at: string; deviceId: string }
  | {
      t: 'bundle';
      seq: number;
      bundleId: string;
      deviceId: string;
      keyVersion: number;
      protocol: number;
    }
  | { t: 'key-blob'; record: KeyBlobRecord }
  | { t: 'key-blob-delete'; userKey: string }
  | { t: 'chain'; seq: number; text: string };

export type BundleEntry = Omit<StoredBundle, 'bytes'> & { ref: AttachmentRef };

type CodeState = EnrollmentCodeRecord & { usedAt: string | null };

export class ClinicState {
  created = false;
  readonly devices = new Map<string, DeviceRecord>();
  readonly codes = new Map<string, CodeState>();
  /**
   * Index seq - 1; sequences are dense from 1. A sequence whose journal frame was damaged is a
   * hole (undefined): never served, never reused (journal.ts).
   */
  readonly bundles: (BundleEntry | undefined)[] = [];
  /** Bundles lost to damaged frames, and membership statements set aside after a lost one. */
  lostBundles = 0;
  chainSetAside = 0;
  readonly bundleIds = new Map<string, number>();
  /** Highest sequence known durable; pulls never look past it. */
  committedSeq = 0;
  readonly keyBlobs = new Map<string, KeyBlobRecord>();
  /** Membership chain statements, index = seq (shared/trust). */
  readonly chain: string[] = [];

  constructor(readonly clinicId: string) {}

  apply(raw: JournalEvent, ref: AttachmentRef): void {
    const event = raw as ClinicEvent;
    switch (event.t) {
      case 'clinic':
        this.created = true;
        return;
      case 'device':
        this.devices.set(event.device.deviceId, { ...event.device, revokedAt: null });
        return;
      case 'revoke': {
        const device = this.devices.get(event.deviceId);
        if (device) device.revokedAt = event.at;
        return;
      }
      case 'device-profile': {
        const device = this.devices.get(event.deviceId);
        if (device) device.profile = event.profile;
        return;
      }
      case 'audit-checkpoint': {
        const device = this.devices.get(event.deviceId);
        if (device) device.auditCheckpoint = event.checkpoint;
        return;
      }
      case 'code':
        this.codes.set(event.code.codeHash, { ...event.code, usedAt: null });
        return;
      case 'code-used': {
        const code = this.codes.get(event.codeHash);
        if (code) code.usedAt = event.at;
        return;
      }
      case 'bundle':
        if (event.seq > this.bundles.length + 1) {
          // The frames in between were damaged and set aside: their sequences stay holes.
          this.lostBundles += event.seq - this.bundles.length - 1;
          this.bundles.length = event.seq - 1;
        }
        if (event.seq !== this.bundles.length + 1)
          throw new Error(`Journal sequence ${event.seq} out of order in clinic ${this.clinicId}`);
        this.bundles.push({
          seq: event.seq,
          bundleId: event.bundleId,
          deviceId: event.deviceId,
          keyVersion: event.keyVersion,
          protocol: event.protocol,
          size: ref.length,
          ref,
        });
        this.bundleIds.set(event.bundleId, event.seq);
        return;
      case 'key-blob':
        this.keyBlobs.set(event.record.userKey, event.record);
        return;
      case 'key-blob-delete':
        this.keyBlobs.delete(event.userKey);
        return;
      case 'chain':
        if (event.seq > this.chain.length) {
          // A statement before it was in a damaged frame: each names the hash of the one before,
          // so nothing after the gap verifies. The prefix is served; the administrators'
          // computers hold the rest.
          this.chainSetAside++;
          return;
        }
        if (event.seq !== this.chain.length)
          throw new Error(`Chain entry ${event.seq} out of order in clinic ${this.clinicId}`);
        this.chain.push(event.text);
        return;
      default:
        // An event from a newer server version: skipping it keeps older data readable.
        return;
    }
  }

  activeAdmins(): number {
    let n = 0;
    for (const d of this.devices.values()) if (d.admin && !d.revokedAt) n++;
    return n;
  }
}
