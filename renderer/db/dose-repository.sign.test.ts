/**
 * Signing a dose and appending its controlled-substance administration are one transaction
 * (21 CFR 1304.21: every disposal recorded): if the second write fails, nothing is committed.
 */
import { describe, expect, it, vi } from 'vitest';
import { addUser } from './auth';
import { signDose, updateDose } from './dose-repository';
import { NOW, at, DISCHARGE, preparedIvDose } from './dose-repository.fixtures';
import { inventoryView, recordWaste } from './inventory-repository';

async function readyToSign() {
  const c = await preparedIvDose();
  // 35 mg over 40 minutes
  const infusion = { infusionStart: at(0), initialRateMgPerHour: 52.5, infusionEnd: at(40) };
  await updateDose(c.store, c.dose.id, infusion, NOW);
  await updateDose(c.store, c.dose.id, { discharge: DISCHARGE });
  return c;
}

describe('signing a dose', () => {
  it('a failed log write leaves the dose unsigned, the log, outbox and audit trail untouched', async () => {
    const { db, store, dose, lot } = await readyToSign();
    const counts = async () => ({
      outbox: await db.outbox.count(),
      audit: await db.audit.count(),
      entries: (await inventoryView(store)).entries.length,
    });
    const before = await counts();
    const doseChanges = await db.outbox.where('recordId').equals(dose.id).count();
    // The second record written in the transaction is the administration entry: make it fail,
    // as a crash or a full disk would, after the signed dose was already put.
    const put = db.records.put.bind(db.records);
    let calls = 0;
    const spy = vi.spyOn(db.records, 'put').mockImplementation((...args) => {
      calls += 1;
      if (calls === 2) throw new Error('disk full');
      return put(...args);
    });
    await expect(signDose(store, dose.id, NOW)).rejects.toThrow(/disk full/);
    spy.mockRestore();
    expect(calls).toBe(2);
    expect((await store.get('dose', dose.id))?.status).toBe('draft');
    expect(await counts()).toEqual(before);
    expect((await inventoryView(store)).balances[lot.id]).toBe(1000);

    // Nothing half-done stands in the way: signing again writes both.
    const { dose: signed, administration } = await signDose(store, dose.id, NOW);
    expect(signed.status).toBe('signed');
    expect(administration).toMatchObject({
      type: 'administration',
      doseId: dose.id,
      quantity: -35,
    });
    const changesOf = (id: string) => db.outbox.where('recordId').equals(id).count();
    expect(await changesOf(administration!.id)).toBe(1);
    expect(await changesOf(dose.id)).toBe(doseChanges + 1);
    expect(await db.audit.count()).toBe(before.audit + 2);
    expect((await inventoryView(store)).entries.length).toBe(before.entries + 1);
    expect((await inventoryView(store)).balances[lot.id]).toBe(965);
  });

  it('a dose whose log entry is refused is not signed', async () => {
    const { db, store, dose, lot } = await readyToSign();
    // The lot vanished from this device (e.g. restored from an older backup): no entry possible.
    await db.records.delete(lot.id);
    await expect(signDose(store, dose.id, NOW)).rejects.toThrow(/not in the inventory/);
    expect((await store.get('dose', dose.id))?.status).toBe('draft');
  });
});

describe('the lot balance on a signed dose', () => {
  it('keeps the balance as it was at signing, whatever the lot does afterwards', async () => {
    const { store, dose, lot } = await readyToSign();
    const { dose: signed } = await signDose(store, dose.id, NOW);
    // 1000 mg received, 35 mg given: the record says so, in the lot's unit.
    expect(signed.lotAtSigning).toEqual({ before: 1000, after: 965, unit: 'mg' });
    // Later waste moves the lot's balance, not what the signed record says it was.
    const witness = await addUser(store, {
      displayName: 'Wes Witness',
      username: 'wes',
      passphrase: 'another long passphrase here',
      roles: ['prescriber'],
    });
    await recordWaste(store, {
      lotId: lot.id,
      amount: 100,
      method: 'drawn up and discarded',
      witnessId: witness.id,
      occurredAt: at(120),
    });
    expect((await inventoryView(store)).balances[lot.id]).toBe(865);
    expect((await store.get('dose', dose.id))?.lotAtSigning).toEqual({
      before: 1000,
      after: 965,
      unit: 'mg',
    });
  });

  it('the snapshot cannot be typed into a draft', async () => {
    const { store, dose } = await readyToSign();
    await expect(
      updateDose(store, dose.id, { lotAtSigning: { before: 1, after: 0, unit: 'mg' } }),
    ).rejects.toThrow(/cannot be changed/);
  });
});

describe("the patient's address on the log (21 CFR 1304.22(c))", () => {
  it('the administration keeps the address the patient record has when the dose is signed', async () => {
    const { store, dose, patientId } = await readyToSign();
    await store.update('patient', patientId, () => ({
      address: '18 Elm Street, Portland, ME 04101',
    }));
    const { administration } = await signDose(store, dose.id, NOW);
    expect(administration?.patientAddress).toBe('18 Elm Street, Portland, ME 04101');
    // A later move does not rewrite the log: the entry says where the patient lived then.
    await store.update('patient', patientId, () => ({ address: '9 Pier Road, Bath, ME 04530' }));
    const entry = (await inventoryView(store)).entries.find((e) => e.doseId === dose.id);
    expect(entry?.patientAddress).toBe('18 Elm Street, Portland, ME 04101');
  });
});
