import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { CURRENT_DB_VERSION, KatDatabase } from './database';
import { MIGRATIONS } from './migrations';

/** Open a database exactly as an older release defined it (its migrations up to `version`). */
function openAt(name: string, version: number) {
  const db = new Dexie(name);
  for (const m of MIGRATIONS.filter((m) => m.version <= version)) {
    const v = db.version(m.version).stores(m.stores);
    if (m.upgrade) v.upgrade(m.upgrade);
  }
  return db;
}

describe('database migrations', () => {
  it('upgrades every older version to the current one without losing rows', async () => {
    for (const m of MIGRATIONS.slice(0, -1)) {
      const name = `migrate-from-${m.version}-${Date.now()}`;
      const old = openAt(name, m.version);
      await old.table('records').bulkPut([
        {
          id: 'a',
          kind: 'note',
          patientId: 'p1',
          date: '2026-01-01',
          // v1 left drafts without a status; from v2 on every row has one.
          ...(m.version >= 2 ? { status: 'draft' } : {}),
          updatedAt: 'h1',
          keyVersion: 1,
          iv: new Uint8Array(12),
          ct: new Uint8Array(20),
        },
        {
          id: 'b',
          kind: 'note',
          patientId: 'p1',
          date: '2026-01-02',
          status: 'signed',
          updatedAt: 'h2',
          keyVersion: 1,
          iv: new Uint8Array(12),
          ct: new Uint8Array(20),
        },
      ]);
      await old.table('outbox').add({ changeId: 'c1', recordId: 'a', kind: 'note', hlc: 'h1' });
      old.close();

      const db = new KatDatabase(name);
      await db.open();
      expect(db.verno).toBe(CURRENT_DB_VERSION);
      expect(await db.records.count()).toBe(2);
      expect(await db.outbox.count()).toBe(1);
      // v6: the outbox rows written before the index are in it ("Changes waiting" reads it)
      expect(await db.outbox.where('[kind+recordId]').equals(['note', 'a']).count()).toBe(1);
      // v2 added status per kind: the v1 draft row is findable as a draft, the signed one as signed
      expect(
        (await db.records.where('[kind+status]').equals(['note', 'draft']).toArray()).map(
          (r) => r.id,
        ),
      ).toEqual(['a']);
      expect(
        (await db.records.where('[kind+status]').equals(['note', 'signed']).toArray()).map(
          (r) => r.id,
        ),
      ).toEqual(['b']);
      expect(await db.records.where('patientId').equals('p1').count()).toBe(2);
      await db.delete();
    }
  });

  it('v5 turns bundles an older version kept for clock drift into held bundles, retried from now on', async () => {
    const name = `migrate-drift-${Date.now()}`;
    const v4 = openAt(name, 4);
    const bytes = new Uint8Array([1, 2, 3]);
    await v4.table('syncIssues').bulkAdd([
      {
        at: '2026-11-01T10:00:00.000Z',
        kind: 'clock-drift',
        message: 'Another device’s clock is about 6 minutes ahead of this computer’s.',
        bundleId: 'bundle-1',
        seq: 7,
        fromDevice: 'device-1',
        bytes,
      },
      { at: '2026-11-01T10:01:00.000Z', kind: 'quarantined-bundle', message: 'Bad tag', bytes },
    ]);
    v4.close();
    const db = new KatDatabase(name);
    await db.open();
    expect(await db.syncHeld.toArray()).toEqual([
      expect.objectContaining({
        bundleId: 'bundle-1',
        seq: 7,
        fromDevice: 'device-1',
        bytes,
        whole: expect.objectContaining({ reason: 'clock-ahead' }),
        tries: 0,
      }),
    ]);
    const issues = await db.syncIssues.toArray();
    expect(issues.map((i) => [i.kind, !!i.resolved])).toEqual([
      ['clock-drift', true],
      ['quarantined-bundle', false],
    ]);
    await db.delete();
  });

  it('only ever adds versions, in order', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });
});
