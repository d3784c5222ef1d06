/**
 * Device credentials. A token is `<deviceId>.<secret>` with 256 random bits of secret; the server
 * stores only SHA-256 of the secret, so a copy of the database cannot sign in. Every request reads
 * the device fresh from the store (no cache), so a revoke is refused at once on every instance.
 * Bundles are additionally signed with the device's own key, so a stolen token alone cannot
 * inject data (server/README.md).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DeviceToken } from '../shared/sync/protocol';
import { problems } from './problem';
import type { DeviceRecord, Store } from './store/store';

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function newDeviceToken(deviceId: string): { token: string; tokenHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${deviceId}.${secret}`, tokenHash: sha256Hex(secret) };
}

export function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
  return timingSafeEqual(
    createHash('sha256').update(a).digest(),
    createHash('sha256').update(b).digest(),
  );
}

export async function authenticate(
  request: FastifyRequest,
  store: Store,
  level: 'device' | 'admin',
): Promise<DeviceRecord> {
  const header = request.headers.authorization;
  if (!header) throw problems.missingCredentials();
  const match = /^Bearer (\S+)$/.exec(header);
  const token = match && DeviceToken.safeParse(match[1]);
  if (!token?.success) throw problems.badCredentials();
  const dot = token.data.indexOf('.');
  const deviceId = token.data.slice(0, dot);
  const secret = token.data.slice(dot + 1);
  const device = await store.getDevice(deviceId);
  const presented = Buffer.from(sha256Hex(secret), 'hex');
  const stored = Buffer.from(device?.tokenHash ?? '00'.repeat(32), 'hex');
  if (!device || stored.length !== presented.length || !timingSafeEqual(stored, presented))
    throw problems.badCredentials();
  if (device.revokedAt) throw problems.revoked(device.revokedAt);
  if (level === 'admin' && !device.admin) throw problems.adminOnly();
  return device;
}

/** Crockford base32 without I, L, O, U: nothing to misread when typing a code off a screen. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newEnrollmentCode(): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (b) => CODE_ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** Case, spaces and dashes do not matter; I/L read as 1 and O as 0, as Crockford intends. */
export function normalizeEnrollmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export const enrollmentCodeHash = (code: string) =>
  sha256Hex(`kat-enroll:${normalizeEnrollmentCode(code)}`);
