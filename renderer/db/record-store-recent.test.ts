/**
 * update() starts from the copy this store wrote last (the autosave fast path). It must never
 * lose a write made elsewhere in the meantime, nor be upset by a caller changing what it got.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  return { ...c, patient };
}

describe('RecordStore.update from the version it wrote last', () => {
  it('applies the change to what another window stored since, not to its own older copy', async () => {
    const { db, store, session, patient } = await setup();
    const other = new RecordStore(db, session); // a second window on the same database
    await store.update('patient', patient.id, () => ({ phone: '555-0100' }));
    await other.update('patient', patient.id, () => ({ preferredName: 'May' }));
    const seen: string[] = [];
    const after = await store.update('patient', patient.id, (current) => {
      seen.push(current.updatedAt);
      return { phone: '555-0199' };
    });
    expect(after).toMatchObject({ phone: '555-0199', preferredName: 'May' });
    expect(await store.get('patient', patient.id)).toMatchObject({
      phone: '555-0199',
      preferredName: 'May',
    });
    // The stale copy was tried first, refused by the stored version check, then the stored one.
    expect(seen).toHaveLength(2);
  });

  it('is not affected by a caller changing the record it was given', async () => {
    const { store, patient } = await setup();
    const given = await store.update('patient', patient.id, () => ({ phone: '555-0100' }));
    (given as { firstName: string }).firstName = 'Changed by a caller';
    const after = await store.update('patient', patient.id, () => ({ phone: '555-0101' }));
    expect(after.firstName).toBe('Maya');
    expect((await store.get('patient', patient.id))?.firstName).toBe('Maya');
  });

  it('chains versions: each update starts from the one written before', async () => {
    const { store, patient } = await setup();
    let last = patient.updatedAt;
    for (let i = 0; i < 5; i++) {
      const after = await store.update('patient', patient.id, (current) => {
        expect(current.updatedAt).toBe(last);
        return { phone: `555-01${i}0` };
      });
      last = after.updatedAt;
    }
    expect((await store.get('patient', patient.id))?.phone).toBe('555-0140');
  });
});
