/**
 * A minimal test client over app.inject: a device with a real ECDSA key pair and a clinic data
 * key, encoding real bundles with shared/sync/bundle.ts, as the renderer's sync worker will.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { encodeBundle } from '../../shared/sync/bundle';
import { exportPublicKey, generateDeviceKeyPair } from '../../shared/sync/device-keys';
import {
  DeviceCredentials,
  EnrollmentCode,
  PullPage,
  PushResult,
  authorizationHeader,
} from '../../shared/sync/protocol';
import { uuidv7 } from '../../shared/util/ids';

export type TestDevice = {
  credentials: DeviceCredentials;
  keys: CryptoKeyPair;
  auth: { authorization: string };
};

export async function newKeys() {
  const keys = await generateDeviceKeyPair();
  return { keys, publicKey: await exportPublicKey(keys.publicKey) };
}

export async function bootstrap(
  app: FastifyInstance,
  setupToken: string,
  clinicId = uuidv7(),
): Promise<TestDevice> {
  const { keys, publicKey } = await newKeys();
  const res = await app.inject({
    method: 'POST',
    url: '/v1/clinics',
    payload: { setupToken, clinicId, publicKey },
  });
  if (res.statusCode !== 201) throw new Error(`bootstrap failed: ${res.body}`);
  const credentials = DeviceCredentials.parse(res.json());
  return { credentials, keys, auth: { authorization: authorizationHeader(credentials.token) } };
}

export async function createCode(app: FastifyInstance, admin: TestDevice, asAdmin = false) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/enrollment-codes',
    headers: admin.auth,
    payload: { admin: asAdmin },
  });
  if (res.statusCode !== 201) throw new Error(`code failed: ${res.body}`);
  return EnrollmentCode.parse(res.json());
}

export async function enroll(app: FastifyInstance, admin: TestDevice, asAdmin = false) {
  const { code } = await createCode(app, admin, asAdmin);
  const { keys, publicKey } = await newKeys();
  const res = await app.inject({
    method: 'POST',
    url: '/v1/devices/enroll',
    payload: { code, publicKey },
  });
  if (res.statusCode !== 201) throw new Error(`enroll failed: ${res.body}`);
  const credentials = DeviceCredentials.parse(res.json());
  return { credentials, keys, auth: { authorization: authorizationHeader(credentials.token) } };
}

export async function makeBundle(
  device: TestDevice,
  dataKey: CryptoKey,
  text = 'integration note',
  over: { bundleId?: string; clinicId?: string; deviceId?: string; signingKey?: CryptoKey } = {},
) {
  return encodeBundle({
    clinicId: over.clinicId ?? device.credentials.clinicId,
    deviceId: over.deviceId ?? device.credentials.deviceId,
    keyVersion: 1,
    dataKey,
    signingKey: over.signingKey ?? device.keys.privateKey,
    bundleId: over.bundleId,
    changes: [
      {
        changeId: uuidv7(),
        hlc: `${String(Date.now()).padStart(15, '0')}:00000:dev`,
        record: { kind: 'note', id: uuidv7(), text },
      },
    ],
  });
}

export function push(app: FastifyInstance, device: TestDevice, bytes: Uint8Array) {
  return app.inject({
    method: 'POST',
    url: '/v1/bundles',
    headers: { ...device.auth, 'content-type': 'application/octet-stream' },
    payload: Buffer.from(bytes),
  });
}

export async function pushOk(app: FastifyInstance, device: TestDevice, bytes: Uint8Array) {
  const res = await push(app, device, bytes);
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`push failed: ${res.body}`);
  return PushResult.parse(res.json());
}

export async function pull(
  app: FastifyInstance,
  device: TestDevice,
  query: { after?: number; limit?: number; maxBytes?: number } = {},
) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await app.inject({ method: 'GET', url: `/v1/bundles?${qs}`, headers: device.auth });
  if (res.statusCode !== 200) throw new Error(`pull failed: ${res.body}`);
  return PullPage.parse(res.json());
}

/** Asserts the RFC 9457 shape every refusal must have, and returns the problem. */
export function problemOf(res: LightMyRequestResponse) {
  if (!String(res.headers['content-type']).startsWith('application/problem+json'))
    throw new Error(`not a problem+json answer (${res.statusCode}): ${res.body}`);
  const body = res.json() as { status: number; code: string; detail: string; title: string };
  if (body.status !== res.statusCode || !body.detail || !body.code)
    throw new Error(`incomplete problem: ${res.body}`);
  return body;
}
