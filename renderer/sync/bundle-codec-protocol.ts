/** Messages between the sync engine and the bundle worker (bundle-codec.ts ↔ bundle-codec.worker.ts). */
import type { BundleRejectReason, EncodeBundleInput } from '../../shared/sync/bundle';
import type { BundleHeader } from '../../shared/sync/protocol';

export type CodecRequest =
  | { id: number; op: 'encode'; input: EncodeBundleInput }
  | {
      id: number;
      op: 'decode';
      bytes: Uint8Array;
      clinicId: string;
      /** Looked up by the caller from the clear header; undefined when not held. */
      publicKey?: CryptoKey;
      dataKey?: CryptoKey;
    };

export type CodecReply =
  | { id: number; ok: true; value: unknown }
  | {
      id: number;
      ok: false;
      /** Set when the bundle was refused (quarantine it); otherwise `message` says what broke. */
      rejected?: { reason: BundleRejectReason; header?: BundleHeader; hint?: string };
      message: string;
    };
