import { describe, expect, it } from 'vitest';
import {
  biennialInventoryDue,
  countDiscrepancies,
  lotContainerWords,
} from '../../shared/rules/inventory';
import { at, clinicWithPatient, lotOf } from './dose-repository.fixtures';
import {
  inventoryView,
  recordAdjustment,
  recordCount,
  receiveLot,
  recordInitialStock,
} from './inventory-repository';

const vials = {
  medication: 'ketamine-hcl' as const,
  productName: 'Ketamine HCl 50 mg/ml, 10 ml vial',
  lotNumber: 'KX1001',
  expiry: '2027-03-31',
  concentrationMgPerMl: 50,
  unit: 'mg' as const,
  unitsPerContainer: 500,
};

describe('inventory counts and initial inventory', () => {
  it('takes stock on hand before the log as the initial inventory, once per lot', async () => {
    const { store } = await clinicWithPatient();
    const { lot, entry } = await recordInitialStock(store, vials, {
      counted: 500,
      occurredAt: at(-60),
    });
    expect(entry).toMatchObject({ type: 'initial-inventory', quantity: 500, status: 'signed' });
    const view = await inventoryView(store);
    expect(view.balances[lot.id]).toBe(500);
    expect(biennialInventoryDue(view.entries, '2026-11-21').overdue).toBe(false);
    await expect(
      recordInitialStock(store, vials, { counted: 500, occurredAt: at(0) }),
    ).rejects.toThrow(/Lot KX1001 is already in the log — record its initial inventory as a count/);
    await expect(
      recordCount(store, {
        lotId: lot.id,
        counted: 500,
        occurredAt: at(0),
        kind: 'initial-inventory',
      }),
    ).rejects.toThrow(/already has an initial inventory/);
  });

  it('refuses a negative or missing count and leaves no lot behind', async () => {
    const { store } = await clinicWithPatient();
    await expect(
      recordInitialStock(store, vials, { counted: -1, occurredAt: at(0) }),
    ).rejects.toThrow(/quantity counted on hand/);
    expect((await inventoryView(store)).lots).toHaveLength(0);
    const { lot } = await lotOf(store);
    await expect(
      recordCount(store, { lotId: lot.id, counted: Number.NaN, occurredAt: at(0) }),
    ).rejects.toThrow(/quantity counted on hand/);
  });

  it('flags a count that differs from the book; an adjustment correcting it resolves the flag', async () => {
    const { store } = await clinicWithPatient();
    const { lot } = await lotOf(store); // 1000 mg received
    const count = await recordCount(store, { lotId: lot.id, counted: 990, occurredAt: at(0) });
    let view = await inventoryView(store);
    expect(countDiscrepancies(view.entries)).toEqual([
      expect.objectContaining({ countId: count.id, expected: 1000, counted: 990, difference: -10 }),
    ]);
    await expect(
      recordAdjustment(store, { lotId: lot.id, quantity: -10, occurredAt: at(5), note: ' ' }),
    ).rejects.toThrow(/Say why the balance is adjusted/);
    await recordAdjustment(store, {
      lotId: lot.id,
      quantity: -10,
      occurredAt: at(5),
      note: 'Vial broken during unpacking, not logged at the time',
      corrects: count.id,
    });
    view = await inventoryView(store);
    expect(view.balances[lot.id]).toBe(990);
    expect(countDiscrepancies(view.entries)[0]?.resolvedBy).toBeDefined();
    // The biennial inventory is a count too: matching the book, it raises no flag.
    await recordCount(store, {
      lotId: lot.id,
      counted: 990,
      occurredAt: at(10),
      kind: 'biennial-inventory',
    });
    view = await inventoryView(store);
    expect(countDiscrepancies(view.entries).filter((d) => !d.resolvedBy)).toHaveLength(0);
  });
});

describe('receiving a lot that has already expired (issue 15, finding 7)', () => {
  const receipt = {
    quantity: 500,
    supplierName: 'Midwest Medical Supply',
    supplierAddress: '12 Depot Rd, Omaha NE',
    supplierDea: 'RM1234563',
    containers: 1,
    occurredAt: at(0), // 2026-11-21
  };

  it('is refused with the expiry date, and nothing is written', async () => {
    const { store } = await clinicWithPatient();
    await expect(
      receiveLot(store, { ...vials, lotNumber: 'KX0920', expiry: '2026-11-20' }, receipt),
    ).rejects.toThrow(
      'Lot KX0920 expired on 2026-11-20, before it was received — it cannot be used for doses. ' +
        'If the expired stock is here, tick that it was received expired so it is on the log for return or disposal',
    );
    const view = await inventoryView(store);
    expect(view.lots).toEqual([]);
    expect(view.entries).toEqual([]);
  });

  it('a lot expiring on the day it arrives is received; an expired one only when acknowledged, noted on the entry', async () => {
    const { store } = await clinicWithPatient();
    await receiveLot(store, { ...vials, lotNumber: 'KX1121', expiry: '2026-11-21' }, receipt);
    const { entry } = await receiveLot(
      store,
      { ...vials, lotNumber: 'KX0920', expiry: '2026-11-20' },
      { ...receipt, receivedExpired: true },
    );
    expect(entry.note).toBe(
      'Received already expired (expiry 2026-11-20): for return or disposal, not for doses',
    );
  });
});

describe('units per container on receipt (issue 15, finding 7; 21 CFR 1304.22(a)(2)(iii))', () => {
  const receipt = {
    quantity: 1000,
    supplierName: 'Midwest Medical Supply',
    supplierAddress: '12 Depot Rd, Omaha NE',
    supplierDea: 'RM1234563',
    containers: 2,
    occurredAt: at(0),
  };

  it("is asked as a number in the lot's unit; a receipt that does not add up is refused", async () => {
    const { store } = await clinicWithPatient();
    await expect(
      receiveLot(store, { ...vials, unitsPerContainer: undefined }, receipt),
    ).rejects.toThrow(
      'Record how much one container holds, in mg (e.g. a 10 ml vial of 50 mg/ml counted in mg holds 500)',
    );
    await expect(receiveLot(store, vials, { ...receipt, quantity: 900 })).rejects.toThrow(
      /2 containers of 500 mg make 1000 mg, not 900/,
    );
    expect((await inventoryView(store)).lots).toEqual([]);
    const { lot } = await receiveLot(store, vials, receipt);
    expect(lot.unitsPerContainer).toBe(500);
  });

  it('a lot received before it was asked still reads, its amount taken from the product name', async () => {
    const { store } = await clinicWithPatient();
    // As an older version of the app stored it: the size only in the product name.
    const { unitsPerContainer: _, ...older } = vials;
    const lot = await store.create('inventory-lot', { ...older, lotNumber: 'KX0001' });
    const view = await inventoryView(store);
    const read = view.lots.find((l) => l.id === lot.id)!;
    expect(read.unitsPerContainer).toBeUndefined();
    expect(lotContainerWords(read)).toBe('500 mg per container (read from the product name)');
  });
});
