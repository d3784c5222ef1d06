/**
 * Push and pull of opaque bundles. On push the server reads only the clear header, checks that it
 * names the authenticated device and its clinic, verifies the device's signature over the bytes,
 * and stores them as they are. It never holds a key that could decrypt them (SYNC.md rule 1).
 */
import type { FastifyInstance } from 'fastify';
import {
  BundleRejectedError,
  type BundleParts,
  unpackBundle,
  verifyBundleSignature,
} from '../../shared/sync/bundle';
import { importPublicKey } from '../../shared/sync/device-keys';
import { ENDPOINTS } from '../../shared/sync/protocol';
import { ProblemError } from '../problem';
import type { DeviceRecord } from '../store/store';
import { type AppContext, defineRoute } from './define';

const refused = (status: number, code: string, detail: string) =>
  new ProblemError(status, code, 'Bundle refused', `${detail} Nothing was stored.`);

/** Imported public keys by SPKI text; a device's key never changes, revocation is checked apart. */
const keyCache = new Map<string, CryptoKey>();

async function publicKeyOf(device: DeviceRecord): Promise<CryptoKey> {
  let key = keyCache.get(device.publicKey);
  if (!key) {
    key = await importPublicKey(device.publicKey);
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(device.publicKey, key);
  }
  return key;
}

async function checkBundle(bytes: Uint8Array, device: DeviceRecord): Promise<BundleParts> {
  let parts: BundleParts;
  try {
    parts = unpackBundle(bytes);
  } catch (e) {
    const hint = e instanceof BundleRejectedError && e.hint ? ` (${e.hint})` : '';
    throw refused(400, 'bundle-malformed', `The bundle could not be read${hint}; update the app.`);
  }
  if (parts.header.clinicId !== device.clinicId)
    throw refused(403, 'wrong-clinic', 'This bundle belongs to another clinic than this device.');
  if (parts.header.deviceId !== device.deviceId)
    throw refused(403, 'wrong-device', 'This bundle names another device as its sender.');
  try {
    await verifyBundleSignature(parts, await publicKeyOf(device));
  } catch {
    throw refused(
      422,
      'bad-signature',
      "The bundle's signature does not match this device's registered key. If the device was " +
        'reinstalled, enroll it again.',
    );
  }
  return parts;
}

export function bundleRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, ctx, ENDPOINTS.pushBundle, async ({ device, body, reply, request }) => {
    const { header } = await checkBundle(body, device);
    const stored = await ctx.store.putBundle({
      clinicId: device.clinicId,
      bundleId: header.bundleId,
      deviceId: device.deviceId,
      keyVersion: header.keyVersion,
      protocol: header.protocol,
      bytes: body,
    });
    if (stored.storedBy !== device.deviceId)
      throw new ProblemError(
        409,
        'bundle-id-taken',
        'Bundle id already used',
        'Another device already stored a bundle with this id, so this one was refused. Nothing was stored.',
      );
    if (stored.duplicate) reply.code(200);
    request.log.info(
      {
        clinicId: device.clinicId,
        bundleId: header.bundleId,
        seq: stored.seq,
        size: body.length,
        duplicate: stored.duplicate,
      },
      'bundle stored',
    );
    return { bundleId: header.bundleId, seq: stored.seq, duplicate: stored.duplicate };
  });

  defineRoute(app, ctx, ENDPOINTS.pullBundles, async ({ device, query }) => {
    const { epoch } = await ctx.store.identity();
    const { bundles, head } = await ctx.store.pullBundles(device.clinicId, query.after, {
      maxCount: query.limit,
      maxBytes: query.maxBytes,
    });
    const cursor = bundles.at(-1)?.seq ?? query.after;
    return {
      epoch,
      cursor,
      head,
      hasMore: cursor < head,
      time: ctx.now().toISOString(),
      bundles: bundles.map((b) => ({
        seq: b.seq,
        bundleId: b.bundleId,
        deviceId: b.deviceId,
        keyVersion: b.keyVersion,
        protocol: b.protocol,
        size: b.size,
        bytes: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength).toString(
          'base64',
        ),
      })),
    };
  });
}
