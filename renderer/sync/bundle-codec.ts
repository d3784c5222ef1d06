/**
 * Building and opening sync bundles (compress, AES-256-GCM with the header as associated data,
 * sign / verify, decrypt, inflate) off the main thread: issue 6 asks for a Web Worker so that a
 * large push or pull never freezes typing. The worker runs the very same functions
 * (shared/sync/bundle.ts); where no Worker exists (vitest, Node) the codec calls them inline.
 *
 * Keys cross into the worker as CryptoKey objects (structured clone keeps them non-extractable);
 * key look-ups stay here, on the caller's side, so the engine's key input is unchanged.
 */
import {
  BundleRejectedError,
  type DecodeBundleContext,
  type DecodedBundle,
  type EncodeBundleInput,
  type EncodedBundle,
  decodeBundle,
  encodeBundle,
  unpackBundle,
} from '../../shared/sync/bundle';
import type { CodecReply, CodecRequest } from './bundle-codec-protocol';

export type BundleCodec = {
  encode(input: EncodeBundleInput): Promise<EncodedBundle>;
  decode(bytes: Uint8Array, context: DecodeBundleContext): Promise<DecodedBundle>;
};

/** The same work on the calling thread: tests, Node, and browsers without module workers. */
export const inlineCodec: BundleCodec = { encode: encodeBundle, decode: decodeBundle };

/** A request before it is numbered (Omit distributed over the union). */
type Unnumbered = CodecRequest extends infer R
  ? R extends CodecRequest
    ? Omit<R, 'id'>
    : never
  : never;

type Pending = {
  resolve: (v: never) => void;
  reject: (e: unknown) => void;
  /** The same work on this thread, should the worker die before answering. */
  inline: () => Promise<unknown>;
};

/**
 * A codec backed by one worker (any object with the Worker messaging surface). If the worker
 * fails (its script cannot load, it crashes), the work it held and everything after it runs on
 * this thread instead: slower, but sync never stops for it.
 */
export function workerCodec(worker: Worker): BundleCodec {
  const pending = new Map<number, Pending>();
  let broken = false;
  let next = 1;
  worker.addEventListener('message', (e: MessageEvent<CodecReply>) => {
    const reply = e.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value as never);
    else if (reply.rejected)
      p.reject(
        new BundleRejectedError(reply.rejected.reason, reply.rejected.header, reply.rejected.hint),
      );
    else p.reject(new Error(reply.message));
  });
  worker.addEventListener('error', () => {
    broken = true;
    for (const p of pending.values()) p.inline().then(p.resolve as never, p.reject);
    pending.clear();
  });
  const call = <T>(
    request: Unnumbered,
    inline: () => Promise<T>,
    transfer: Transferable[] = [],
  ): Promise<T> => {
    if (broken) return inline();
    return new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: never) => void, reject, inline });
      worker.postMessage({ ...request, id } as CodecRequest, transfer);
    });
  };
  return {
    encode: (input) => call({ op: 'encode', input }, () => encodeBundle(input)),
    async decode(bytes, context) {
      if (broken) return decodeBundle(bytes, context);
      // Read the clear header here (no key needed) to look the keys up on this side; a bundle
      // too damaged to name its sender fails here exactly as it would inside decodeBundle.
      const { header } = unpackBundle(bytes);
      if (header.clinicId !== context.clinicId)
        throw new BundleRejectedError('wrong-clinic', header);
      const [publicKey, dataKey] = await Promise.all([
        safely(() => context.publicKeyFor(header.deviceId)),
        safely(() => context.dataKeyFor(header.keyVersion)),
      ]);
      return call({ op: 'decode', bytes, clinicId: context.clinicId, publicKey, dataKey }, () =>
        decodeBundle(bytes, context),
      );
    },
  };
}

async function safely<T>(get: () => T | Promise<T>): Promise<Awaited<T> | undefined> {
  try {
    return await get();
  } catch {
    return undefined;
  }
}

let shared: BundleCodec | undefined;

/** The app's codec: one module worker for the page's lifetime, or inline where there is none. */
export function defaultCodec(): BundleCodec {
  if (shared) return shared;
  if (typeof Worker === 'undefined') return (shared = inlineCodec);
  try {
    shared = workerCodec(
      new Worker(new URL('./bundle-codec.worker.ts', import.meta.url), {
        type: 'module',
        name: 'kat-sync-bundles',
      }),
    );
  } catch {
    // A browser that refuses module workers still syncs, on the main thread.
    shared = inlineCodec;
  }
  return shared;
}
