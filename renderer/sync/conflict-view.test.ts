/**
 * A `merge-conflict` sync issue (two computers changed the same field of a record at once) could
 * not be opened from the sync panel, and sat under "Nothing below was applied" although both
 * versions were kept. The panel now groups it apart, links to the record and shows the other
 * value beside the one the record holds.
 */
import { describe, expect, it } from 'vitest';
import { encryptRecord, indexFields } from '../db/record-crypto';
import { freshClinic, addMaya } from '../db/test-support';
import type { SyncIssue } from '../db/sync-state';
import { syncProblemSections } from '../features/sync/sync-words';
import { openConflict } from './conflict-view';

const issue = (over: Partial<SyncIssue>): SyncIssue => ({
  at: '2026-12-06T10:00:00.000Z',
  kind: 'rejected-change',
  message: 'x',
  ...over,
});

describe('merge conflicts in the sync panel', () => {
  it('are listed apart from what was not applied, saying both versions were kept', () => {
    const sections = syncProblemSections([
      issue({ kind: 'merge-conflict', message: 'A patient record was changed on two computers' }),
      issue({ kind: 'quarantined-bundle', message: 'A bundle could not be opened' }),
    ]);
    const conflicts = sections.find((s) => s.items.some((i) => i.kind === 'merge-conflict'))!;
    expect(conflicts.intro).toMatch(/both versions were kept/i);
    expect(conflicts.intro).not.toMatch(/not applied|Nothing below was applied/);
    expect(conflicts.items).toHaveLength(1);
    const refused = sections.find((s) => s.items.some((i) => i.kind === 'quarantined-bundle'))!;
    expect(refused).not.toBe(conflicts);
    expect(refused.intro).toMatch(/Nothing below was applied/);
  });

  it('opens: the record it concerns, and the other value beside the one kept', async () => {
    const { store, session } = await freshClinic();
    const maya = await addMaya(store);
    const other = { ...maya, firstName: 'Mya', updatedAt: maya.updatedAt };
    const row = await encryptRecord(other, session.dataKey, session.keyVersion, indexFields(other));
    const view = await openConflict(
      store,
      issue({
        kind: 'merge-conflict',
        recordId: maya.id,
        fields: ['firstName'],
        lost: { kind: row.kind, keyVersion: row.keyVersion, iv: row.iv, ct: row.ct },
      }),
      {},
    );
    expect(view.href).toBe(`/patients/${maya.id}`);
    expect(view.fields).toEqual([{ label: 'First name', kept: 'Maya', other: 'Mya' }]);
  });
});
