/**
 * Garbage at every trust boundary (issue 7 §5): IPC requests, stored/synced records, note template
 * import, sync bundles and server request bodies. Each decoder must answer with a refusal a person
 * can read — never crash with a TypeError, never accept what it should not.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, parseIpcRequest } from '../../shared/ipc';
import { AnyRecord } from '../../shared/model';
import { parseNoteTemplate } from '../../shared/rules/note-templates';
import { generateDataKey } from '../../shared/crypto/envelope';
import { uuidv7 } from '../../shared/util/ids';
import { BundleRejectedError, decodeBundle, encodeBundle } from '../../shared/sync/bundle';
import { generateDeviceKeyPair } from '../../shared/sync/device-keys';
import {
  BootstrapClinicRequest,
  EnrollRequest,
  PullQuery,
  PutKeyBlobRequest,
} from '../../shared/sync/protocol';

/** Anything JSON or structured clone could deliver, including bytes and deep nesting. */
const garbage = fc.oneof(
  fc.anything({ maxDepth: 3, withTypedArray: true, withMap: true, withSet: true, withDate: true }),
  fc.uint8Array({ maxLength: 64 }),
  fc.string(),
);
const readable = (text: string) => text.length > 5 && !/undefined|\[object|TypeError/.test(text);

describe('IPC requests (main process and browser mode parse the same way)', () => {
  it.each(IPC_CHANNELS)('%s refuses garbage with plain words and never throws', (channel) => {
    fc.assert(
      fc.property(garbage, (payload) => {
        const parsed = parseIpcRequest(channel, payload);
        // The only garbage a channel may accept is `undefined`, for channels that take no request.
        if (parsed.ok) {
          expect(payload).toBeUndefined();
          return;
        }
        expect(parsed.result.ok).toBe(false);
        if (!parsed.result.ok) {
          expect(parsed.result.error.code).toBe('invalid-request');
          expect(readable(parsed.result.error.message)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('accepts garbage only where it matches the schema', () => {
    fc.assert(
      fc.property(garbage, (payload) => {
        // Channels that take no request accept exactly `undefined`.
        expect(parseIpcRequest('app:info', payload).ok).toBe(payload === undefined);
      }),
    );
  });

  it('refuses non-PDF bytes, empty files and script links before touching the OS', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        fc.pre(!(bytes[0] === 0x25 && bytes[1] === 0x50));
        const r = parseIpcRequest('print:pdf', { bytes, title: 'Consent packet' });
        expect(r.ok).toBe(false);
      }),
    );
    expect(parseIpcRequest('print:pdf', { bytes: new Uint8Array(0), title: 'x' }).ok).toBe(false);
    const r = parseIpcRequest('shell:open-external', { url: 'javascript:alert(1)' });
    expect(r.ok).toBe(false);
  });
});

describe('stored and synced records (AnyRecord)', () => {
  it('refuses garbage with issues, never throws', () => {
    fc.assert(
      fc.property(garbage, (value) => {
        const r = AnyRecord.safeParse(value);
        expect(r.success).toBe(false);
        if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a valid record with any one field replaced by the wrong type', () => {
    const valid = {
      kind: 'patient',
      id: uuidv7(),
      clinicId: uuidv7(),
      createdBy: uuidv7(),
      createdAt: '2026-11-21T14:05:00.000Z',
      updatedAt: `${String(1_780_000_000_000).padStart(15, '0')}:00000:dev1`,
      status: 'draft',
      schemaVersion: 1,
      firstName: 'Maya',
      lastName: 'Okafor',
      dateOfBirth: '1987-04-12',
      sexAtBirth: 'female',
      active: true,
    };
    expect(AnyRecord.safeParse(valid).success).toBe(true);
    const required = ['kind', 'id', 'clinicId', 'createdAt', 'status', 'firstName', 'dateOfBirth'];
    fc.assert(
      fc.property(
        fc.constantFrom(...required),
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())),
        (field, wrong) => {
          expect(AnyRecord.safeParse({ ...valid, [field]: wrong }).success).toBe(false);
        },
      ),
    );
  });
});

describe('note template import', () => {
  it('answers any text with a template or readable problems, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          garbage.map((g) => JSON.stringify(g) ?? ''),
        ),
        (text) => {
          const r = parseNoteTemplate(text);
          if (!r.ok) {
            expect(r.problems.length).toBeGreaterThan(0);
            for (const p of r.problems) expect(readable(p)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses truncated template JSON', () => {
    const good = JSON.stringify({
      templateKey: 'kap-prep',
      name: 'KAP preparation',
      format: 'KAP',
      sections: [{ key: 'intentions', label: 'Intentions', hint: '' }],
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (cut) => {
        expect(parseNoteTemplate(good.slice(0, cut)).ok).toBe(false);
      }),
    );
  });
});

describe('sync bundles', () => {
  const CLINIC = uuidv7();
  const DEVICE = uuidv7();
  let context: Parameters<typeof decodeBundle>[1];
  let good: Uint8Array;
  beforeAll(async () => {
    const dataKey = await generateDataKey();
    const signer = await generateDeviceKeyPair();
    context = {
      clinicId: CLINIC,
      dataKeyFor: (v) => (v === 1 ? dataKey : undefined),
      publicKeyFor: (d) => (d === DEVICE ? signer.publicKey : undefined),
    };
    good = (
      await encodeBundle({
        clinicId: CLINIC,
        deviceId: DEVICE,
        keyVersion: 1,
        dataKey,
        signingKey: signer.privateKey,
        changes: [
          {
            changeId: uuidv7(),
            hlc: `${String(1_780_000_000_000).padStart(15, '0')}:00000:dev1`,
            record: { kind: 'note', id: uuidv7(), body: 'Felt held by the music' },
          },
        ],
      })
    ).bytes;
  });

  const refusedPlainly = async (bytes: Uint8Array) => {
    const error = await decodeBundle(bytes, context).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BundleRejectedError);
    expect(readable((error as Error).message)).toBe(true);
  };

  it('refuses random bytes, truncations and single-byte changes as a rejected bundle', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), refusedPlainly), {
      numRuns: 100,
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: good.length - 1 }), (cut) =>
        refusedPlainly(good.slice(0, cut)),
      ),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: good.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const bent = good.slice();
          bent[at]! ^= xor;
          return refusedPlainly(bent);
        },
      ),
      { numRuns: 100 },
    );
    await expect(decodeBundle(good, context)).resolves.toMatchObject({ changes: [{}] });
  });
});

describe('server request bodies', () => {
  it.each([
    ['bootstrap', BootstrapClinicRequest],
    ['enroll', EnrollRequest],
    ['pull query', PullQuery],
    ['key blob', PutKeyBlobRequest],
  ] as const)('%s: garbage is refused with issues, never a crash', (_name, schema) => {
    fc.assert(
      fc.property(garbage, (body) => {
        const r = schema.safeParse(body);
        if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
        else expect(typeof r.data).toBe('object');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses oversized and wrong-typed key blobs', () => {
    expect(PutKeyBlobRequest.safeParse({ blob: 'x'.repeat(10_000_000) }).success).toBe(false);
    expect(PutKeyBlobRequest.safeParse({ blob: 42 }).success).toBe(false);
    expect(PullQuery.safeParse({ limit: '1e9' }).success).toBe(false);
  });
});
