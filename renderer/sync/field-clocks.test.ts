import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import { canonicalJson } from '../../shared/crypto/hash';
import type { AnyRecord } from '../../shared/model';
import { formatHlc } from '../../shared/sync/hlc';
import { encryptRecord, decryptRecord, indexFields } from '../db/record-crypto';
import { vvOf } from '../../shared/sync/version-vector';
import { conflictingFields, localClocks, mergeDrafts, remoteClocks } from './field-clocks';

const hlc = (ms: number, node = 'a') =>
  formatHlc({ wallMs: 1_780_000_000_000 + ms, counter: 0, node });

function note(over: Record<string, unknown>, at: string): AnyRecord {
  return {
    kind: 'note',
    id: '0190a0a0-0000-7000-8000-000000000001',
    clinicId: '0190a0a0-0000-7000-8000-000000000002',
    createdBy: '0190a0a0-0000-7000-8000-000000000003',
    createdAt: '2026-11-22T00:00:00.000Z',
    updatedAt: at,
    status: 'draft',
    schemaVersion: 1,
    patientId: '0190a0a0-0000-7000-8000-000000000004',
    templateId: 'soap',
    title: 'Session',
    sections: { subjective: 'Start' },
    timeline: [],
    ...over,
  } as AnyRecord;
}

describe('per-field clocks', () => {
  it('a local edit takes the record clock only for the fields it changed', async () => {
    const key = await generateDataKey();
    const v1 = note({}, hlc(1));
    const row = await encryptRecord(v1, key, 1, indexFields(v1));
    const base = { hlc: v1.updatedAt, clocks: remoteClocks(v1, undefined), row };
    const open = (r: Partial<typeof row>) => decryptRecord({ ...row, ...r }, key, v1.clinicId);
    // Still the base version: the base's clocks, without opening anything.
    expect(await localClocks(v1, base, () => Promise.reject(new Error('not needed')))).toEqual(
      base.clocks,
    );
    const v2 = note({ title: 'Integration, week 3' }, hlc(5));
    const clocks = await localClocks(v2, base, open);
    expect(clocks.title).toBe(hlc(5));
    expect(clocks.sections).toBe(hlc(1));
    // Without a base (or one that no longer opens) every field was set by the latest write.
    const all = new Set([hlc(5)]);
    expect(new Set(Object.values(await localClocks(v2, undefined, open)))).toEqual(all);
    const unreadable = () => Promise.reject(new Error('tampered'));
    expect(new Set(Object.values(await localClocks(v2, base, unreadable)))).toEqual(all);
  });

  it('merges field by field: the newer clock wins each field', () => {
    const local = note({ sections: { subjective: 'Laptop text' } }, hlc(5, 'a'));
    const remote = note({ title: 'New title' }, hlc(7, 'b'));
    const merged = mergeDrafts(
      local,
      { ...remoteClocks(local, undefined), title: hlc(1), sections: hlc(5, 'a') },
      remote,
      { ...remoteClocks(remote, undefined), title: hlc(7, 'b'), sections: hlc(1) },
    );
    expect(merged.record).toMatchObject({
      title: 'New title',
      sections: { subjective: 'Laptop text' },
      updatedAt: hlc(7, 'b'),
    });
  });

  it('merging is commutative and idempotent, whatever the clocks (so devices converge)', () => {
    const field = fc.record({
      value: fc.constantFrom('x', 'y', 'z'),
      at: fc.integer({ min: 0, max: 5 }),
    });
    const version = fc.record({ title: field, text: field, node: fc.constantFrom('a', 'b', 'c') });
    fc.assert(
      fc.property(version, version, (a, b) => {
        const make = (v: typeof a) => {
          const at = hlc(Math.max(v.title.at, v.text.at), v.node);
          const r = note({ title: v.title.value, sections: { subjective: v.text.value } }, at);
          const clocks = {
            ...remoteClocks(r, undefined),
            title: hlc(v.title.at, v.node),
            sections: hlc(v.text.at, v.node),
          };
          return { r, clocks };
        };
        const x = make(a);
        const y = make(b);
        const xy = mergeDrafts(x.r, x.clocks, y.r, y.clocks);
        const yx = mergeDrafts(y.r, y.clocks, x.r, x.clocks);
        expect(canonicalJson(xy)).toBe(canonicalJson(yx));
        const again = mergeDrafts(xy.record, xy.clocks, y.r, y.clocks);
        expect(canonicalJson(again)).toBe(canonicalJson(xy));
      }),
      { numRuns: 300 },
    );
  });

  it('names a conflict only where both sides changed a field without seeing the other', () => {
    const local = note({ title: 'A', sections: { subjective: 'same' } }, hlc(5, 'a'));
    const remote = note({ title: 'B', sections: { subjective: 'other' } }, hlc(6, 'b'));
    const lc = { title: hlc(5, 'a'), sections: hlc(1) };
    const rc = { title: hlc(6, 'b'), sections: hlc(6, 'b') };
    const localSeen = vvOf(hlc(1), hlc(5, 'a'));
    // The remote side saw the common version (hlc 1) but not the local edit at 5.
    const remoteSeen = vvOf(hlc(1), hlc(6, 'b'));
    expect(conflictingFields(local, lc, localSeen, remote, rc, remoteSeen)).toEqual(['title']);
    // Had the remote side seen the local edit, its title would be a later decision, no conflict.
    const after = vvOf(hlc(1), hlc(5, 'a'), hlc(6, 'b'));
    expect(conflictingFields(local, lc, localSeen, remote, rc, after)).toEqual([]);
  });
});
