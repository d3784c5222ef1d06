/**
 * HTTP calls to the clinic server, every answer parsed with the wire schemas of
 * shared/sync/protocol.ts. Failures become SyncHttpError with words for the sync panel: the
 * server's problem `detail` when it sent one, otherwise what to check.
 */
import { z } from 'zod';
import {
  AppendChainResult,
  type AuditCheckpoint,
  ChainPage,
  DeviceCredentials,
  type SelfReenrollRequest,
  DeviceInfo,
  DeviceList,
  EnrollmentCode,
  Health,
  KeyBlob,
  KeyBlobList,
  Problem,
  PullPage,
  PushResult,
  authorizationHeader,
} from '../../shared/sync/protocol';
import { ADDRESS_PROBLEMS, parseServerAddress, unreachableWords } from './server-address';

export type Fetch = typeof fetch;

export class SyncHttpError extends Error {
  constructor(
    message: string,
    /** 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code?: string,
    /** With code `device-revoked`: when this computer was removed. */
    readonly revokedAt?: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
  get unreachable() {
    return this.status === 0;
  }
}

/** Accepts `host:port` or a full URL (server-address.ts); refuses what could not be meant. */
export function normalizeServerUrl(input: string): string {
  const url = parseServerAddress(input);
  if (typeof url === 'string') throw new SyncHttpError(ADDRESS_PROBLEMS[url], 0);
  return url.origin;
}

/**
 * Does the clinic server answer now? One small unauthenticated GET of /v1/health, cheap enough to
 * ask every few seconds while the server is away (sync-scheduler.ts).
 */
export async function probeServer(
  serverUrl: string,
  fetchImpl?: Fetch,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await new ServerClient(serverUrl, undefined, fetchImpl, signal).health();
    return true;
  } catch {
    return false;
  }
}

export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly fetchImpl: Fetch = (...a) => globalThis.fetch(...a),
    private readonly signal?: AbortSignal,
  ) {}

  health() {
    return this.json('GET', '/v1/health', Health);
  }

  bootstrapClinic(body: { setupToken: string; clinicId: string; publicKey: string }) {
    return this.json('POST', '/v1/clinics', DeviceCredentials, body);
  }

  enroll(body: { code: string; publicKey: string }) {
    return this.json('POST', '/v1/devices/enroll', DeviceCredentials, body);
  }

  /** An administrator's computer re-enrolling itself (shared/trust/self-reenroll.ts). */
  reenrollSelf(body: SelfReenrollRequest) {
    return this.json('POST', '/v1/devices/reenroll-self', DeviceCredentials, body);
  }

  createEnrollmentCode(admin = false) {
    return this.json('POST', '/v1/enrollment-codes', EnrollmentCode, { admin });
  }

  devices() {
    return this.json('GET', '/v1/devices', DeviceList);
  }

  pull(after: number, limit = 500) {
    return this.json('GET', `/v1/bundles?after=${after}&limit=${limit}`, PullPage);
  }

  push(bytes: Uint8Array) {
    return this.json('POST', '/v1/bundles', PushResult, bytes);
  }

  getKeyBlob(userKey: string) {
    return this.json('GET', `/v1/key-blobs/${encodeURIComponent(userKey)}`, KeyBlob);
  }

  /** `ifRevision`: the revision last read, 0 = must not exist yet; a mismatch is a 409. */
  putKeyBlob(userKey: string, blob: string, ifRevision: number) {
    const path = `/v1/key-blobs/${encodeURIComponent(userKey)}`;
    return this.json('PUT', path, KeyBlob, { blob, ifRevision });
  }

  listKeyBlobs() {
    return this.json('GET', '/v1/key-blobs', KeyBlobList);
  }

  deleteKeyBlob(userKey: string) {
    return this.json('DELETE', `/v1/key-blobs/${encodeURIComponent(userKey)}`, z.unknown());
  }

  /** The clinic's membership chain from statement `from` on (shared/trust). */
  readChain(from = 0) {
    return this.json('GET', `/v1/chain?from=${from}`, ChainPage);
  }

  /** Compare-and-swap append: a 409 `chain-moved` when the chain is no longer `expectLength` long. */
  appendChain(expectLength: number, statements: string[]) {
    return this.json('POST', '/v1/chain', AppendChainResult, { expectLength, statements });
  }

  /** This computer's profile, sealed (device-profile.ts). */
  putDeviceProfile(profile: string) {
    return this.json('PUT', '/v1/devices/me/profile', z.unknown(), { profile });
  }

  /** This computer's newest audit event (audit-checkpoint.ts); 409 when it went back. */
  putAuditCheckpoint(checkpoint: AuditCheckpoint) {
    return this.json('PUT', '/v1/devices/me/audit-checkpoint', z.unknown(), checkpoint);
  }

  revokeDevice(deviceId: string) {
    return this.json('POST', `/v1/devices/${encodeURIComponent(deviceId)}/revoke`, DeviceInfo);
  }

  private async json<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.infer<T>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = authorizationHeader(this.token);
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/octet-stream';
      payload = body as Uint8Array<ArrayBuffer>;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: payload,
        signal: this.signal,
      });
    } catch {
      throw new SyncHttpError(unreachableWords(this.baseUrl), 0);
    }
    const text = await res.text();
    if (!res.ok) throw problemError(res.status, text);
    const parsed = schema.safeParse(text ? JSON.parse(text) : undefined);
    if (!parsed.success)
      throw new SyncHttpError(
        'The clinic server answered in a way this version of KAT Chart does not understand. ' +
          'Check that the server and the app are up to date.',
        res.status,
      );
    return parsed.data;
  }
}

function problemError(status: number, text: string): SyncHttpError {
  try {
    const p = Problem.parse(JSON.parse(text));
    return new SyncHttpError(p.detail, status, p.code, p.revokedAt);
  } catch {
    return new SyncHttpError(
      `The clinic server refused the request (HTTP ${status}). Try again later.`,
      status,
    );
  }
}
