import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryTransaction } from '../model/inventory';
import { uuidv7 } from '../util/ids';
import {
  assertAppendOnly,
  assertTransactionValid,
  balancesByLot,
  biennialInventoryDue,
  controlledSubstanceLog,
  countDiscrepancies,
  lotBalance,
  lotContainer,
  lotContainerWords,
  transactionProblems,
  type LedgerEntry,
} from './inventory';
import { ivDose, lot, lotId, nurseId, patientId, prescriberId, tx } from './dosing/test-fixtures';

const vials = lot(); // ml, 50 mg/ml
const receipt = tx({ quantity: 100, occurredAt: '2026-11-01T09:00:00.000Z' });
const given = tx({
  type: 'administration',
  quantity: -0.7,
  occurredAt: '2026-11-21T10:00:00.000Z',
  doseId: uuidv7(),
  patientId,
  performedBy: nurseId,
});
const wasted = tx({
  type: 'waste',
  quantity: -0.3,
  occurredAt: '2026-11-21T10:45:00.000Z',
  wasteMethod: 'Rx Destroyer',
  witnessId: prescriberId,
  performedBy: nurseId,
});

describe('running balance', () => {
  it('is receipts − administered − wasted ± adjustments', () => {
    const found = tx({ type: 'adjustment', quantity: 0.5, note: 'Vial found in fridge' });
    expect(lotBalance([receipt, given, wasted, found], lotId)).toBe(99.5);
    expect(lotBalance([receipt, given, wasted], lotId)).toBe(99);
  });

  it('is exact where floating point is not (0.3 − 0.1 − 0.1 − 0.1 = 0)', () => {
    const small = [0.3, -0.1, -0.1, -0.1].map((quantity) =>
      tx({ type: 'adjustment', quantity, note: 'x' }),
    );
    expect(lotBalance(small, lotId)).toBe(0);
  });

  it('can be read as of a moment, and per lot', () => {
    const other = tx({ lotId: uuidv7(), quantity: 20 });
    const entries = [receipt, given, wasted, other];
    expect(lotBalance(entries, lotId, new Date('2026-11-21T10:30:00.000Z'))).toBe(99.3);
    expect(balancesByLot(entries)).toEqual({ [lotId]: 99, [other.lotId]: 20 });
  });
});

const LOTS = [uuidv7(), uuidv7()];
const arbEntry = fc.record({
  id: fc.uuid({ version: 7 }),
  lotId: fc.constantFrom(...LOTS),
  type: fc.constantFrom('receipt', 'administration', 'waste', 'adjustment') as fc.Arbitrary<
    LedgerEntry['type']
  >,
  milli: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  minute: fc.integer({ min: 0, max: 60 * 24 * 60 }),
});
const toEntry = (e: typeof arbEntry extends fc.Arbitrary<infer T> ? T : never): LedgerEntry => ({
  id: e.id,
  lotId: e.lotId,
  type: e.type,
  quantity: e.milli / 1000,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + e.minute * 60_000).toISOString(),
});
const arbLedger = fc
  .uniqueArray(arbEntry, { maxLength: 60, selector: (e) => e.id })
  .map((a) => a.map(toEntry))
  .chain((entries) =>
    fc.tuple(
      fc.constant(entries),
      fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
    ),
  );

describe('balance properties', () => {
  it('equals the sum of the signed quantities of the lot', () => {
    fc.assert(
      fc.property(arbLedger, ([entries]) => {
        for (const l of LOTS) {
          const milli = entries
            .filter((e) => e.lotId === l)
            .reduce((m, e) => m + Math.round(e.quantity * 1000), 0);
          expect(lotBalance(entries, l)).toBe(milli / 1000);
        }
      }),
    );
  });

  it('does not depend on the order entries arrive in (sync may deliver any order)', () => {
    fc.assert(
      fc.property(arbLedger, ([entries, shuffled]) => {
        expect(balancesByLot(shuffled)).toEqual(balancesByLot(entries));
        for (const l of LOTS) expect(lotBalance(shuffled, l)).toBe(lotBalance(entries, l));
        const log = (xs: LedgerEntry[]) =>
          controlledSubstanceLog(xs, { from: '2026-01-01', to: '2026-12-31', timeZone: 'UTC' });
        expect(log(shuffled)).toEqual(log(entries));
      }),
    );
  });

  it('the log ends on the same balance as lotBalance, and each row adds its quantity', () => {
    fc.assert(
      fc.property(arbLedger, ([entries]) => {
        const { rows, opening, closing } = controlledSubstanceLog(entries, {
          from: '2026-01-10',
          to: '2026-02-20',
          timeZone: 'UTC',
        });
        for (const l of LOTS) {
          const inRange = rows.filter((r) => r.entry.lotId === l);
          const sum = inRange.reduce((m, r) => m + Math.round(r.entry.quantity * 1000), 0);
          if (l in closing)
            expect(Math.round(closing[l]! * 1000)).toBe(Math.round(opening[l]! * 1000) + sum);
        }
      }),
    );
  });
});

describe('count discrepancies', () => {
  const count = (counted: number, at = '2026-11-21T17:00:00.000Z') =>
    tx({ type: 'count', quantity: 0, countedQuantity: counted, occurredAt: at });

  it('flags a count that differs from the book balance at that time', () => {
    const c = count(98.8);
    expect(countDiscrepancies([receipt, given, wasted, c])).toEqual([
      { countId: c.id, lotId, at: c.occurredAt, expected: 99, counted: 98.8, difference: -0.2 },
    ]);
  });

  it('is quiet when the count matches, counting only entries up to the count', () => {
    const c = count(99.3, '2026-11-21T10:30:00.000Z'); // before the waste
    expect(countDiscrepancies([receipt, given, wasted, c])).toEqual([]);
  });

  it('shows which adjustment resolved it', () => {
    const c = count(98.8);
    const fix = tx({
      type: 'adjustment',
      quantity: -0.2,
      corrects: c.id,
      occurredAt: '2026-11-21T17:30:00.000Z',
      note: 'Spill during draw-up, not logged',
    });
    expect(countDiscrepancies([receipt, given, wasted, c, fix])[0]?.resolvedBy).toBe(fix.id);
  });
});

describe('biennial inventory (21 CFR 1304.11)', () => {
  const initial = tx({
    type: 'initial-inventory',
    quantity: 40,
    occurredAt: '2024-11-20T15:00:00.000Z',
  });

  it('is due two years after the last inventory, overdue the day after', () => {
    expect(biennialInventoryDue([initial], '2026-11-20', 'UTC')).toEqual({
      lastTakenOn: '2024-11-20',
      dueBy: '2026-11-20',
      overdue: false,
      message: 'Next biennial inventory due by 2026-11-20',
    });
    expect(biennialInventoryDue([initial], '2026-11-21', 'UTC')).toMatchObject({
      overdue: true,
      message: 'The biennial inventory was due by 2026-11-20 — take it now (21 CFR 1304.11(c))',
    });
  });

  it('restarts the clock at each biennial inventory', () => {
    const biennial = tx({
      type: 'biennial-inventory',
      quantity: 0,
      countedQuantity: 30,
      occurredAt: '2026-03-02T15:00:00.000Z',
    });
    expect(biennialInventoryDue([initial, biennial], '2026-11-21', 'UTC').dueBy).toBe('2028-03-02');
  });

  it('asks for an initial inventory when there is none', () => {
    expect(biennialInventoryDue([receipt], '2026-11-21', 'UTC')).toEqual({
      overdue: true,
      message: 'No initial inventory on record — take one now (21 CFR 1304.11(b))',
    });
  });
});

describe('validating a new log entry', () => {
  const ledger = [receipt];
  const problems = (t: InventoryTransaction, l: InventoryTransaction[] = ledger, dose = {}) =>
    transactionProblems(t, { lot: vials, ledger: l, ...dose });

  it('needs a witness other than the person wasting', () => {
    expect(problems(wasted)).toEqual([]);
    expect(problems({ ...wasted, witnessId: undefined })).toEqual([
      'Waste needs a witness — ask a colleague to confirm it',
    ]);
    expect(problems({ ...wasted, witnessId: nurseId })).toEqual([
      'The witness must be someone other than the person wasting',
    ]);
    expect(problems({ ...wasted, wasteMethod: ' ', quantity: 0.3 })).toEqual([
      'Waste removes stock: enter a negative quantity',
      'Record how the waste was disposed of',
    ]);
  });

  it('takes administrations only from a signed dose record of the same lot and patient, once', () => {
    const dose = ivDose({ status: 'signed' });
    const admin = { ...given, doseId: dose.id };
    expect(problems(admin, ledger, { dose })).toEqual([]);
    expect(problems({ ...admin, doseId: undefined })).toEqual([
      'An administration is created from a signed dose record, not typed in',
    ]);
    expect(problems(admin, ledger, { dose: { ...dose, status: 'draft' } })).toEqual([
      'Sign the dose record first: the log takes administrations from signed doses',
    ]);
    expect(
      problems(admin, ledger, { dose: { ...dose, lotId: uuidv7(), patientId: uuidv7() } }),
    ).toEqual([
      'The dose record names a different lot',
      'The dose record is for a different patient',
    ]);
    const logged = { ...admin, id: uuidv7() };
    expect(problems(admin, [receipt, logged], { dose })).toEqual([
      'This dose is already in the log; correct it with an adjustment instead',
    ]);
  });

  it("records a receipt's supplier as 1304.22(c) requires", () => {
    expect(problems({ ...receipt, id: uuidv7() })).toEqual([]);
    expect(
      problems({ ...receipt, id: uuidv7(), supplierDea: undefined, containers: undefined }),
    ).toEqual([
      "Record the supplier's name, address and DEA number (21 CFR 1304.22(c))",
      'Record the number of containers received',
    ]);
  });

  it('never takes a lot below zero', () => {
    const big = { ...wasted, quantity: -100.5 };
    expect(problems(big)).toEqual([
      'This would take lot KX2291 below zero (on hand: 100) — count the stock and record an adjustment first',
    ]);
  });

  it('keeps counts from moving stock and adjustments explained', () => {
    const c = tx({ type: 'count', quantity: 0, countedQuantity: 100 });
    expect(problems(c)).toEqual([]);
    expect(problems({ ...c, quantity: -1, countedQuantity: undefined })).toEqual([
      'A count does not move stock: its quantity is 0',
      'Record the quantity counted on hand',
    ]);
    expect(problems(tx({ type: 'adjustment', quantity: 1 }))).toEqual([
      'Say why the balance is adjusted',
    ]);
    expect(problems(tx({ type: 'adjustment', quantity: 0.0001, note: 'x' }))).toEqual([
      'Record the quantity to at most three decimals',
    ]);
  });

  it('makes corrections new adjustment entries pointing at an entry of the same lot', () => {
    const fix = tx({
      type: 'adjustment',
      quantity: 0.1,
      corrects: given.id,
      note: 'Drew 0.6 ml, not 0.7',
    });
    expect(problems(fix, [receipt, given])).toEqual([]);
    expect(problems(fix, [receipt])).toEqual([
      'A correction must point at an existing entry of the same lot',
    ]);
    expect(problems({ ...wasted, id: uuidv7(), corrects: given.id }, [receipt, given])).toEqual([
      'Record a correction as an adjustment',
    ]);
  });

  it('refuses to write an entry that already exists, and says how to correct it', () => {
    expect(problems(receipt)).toEqual([
      'This entry is already in the log; correct it with a new entry instead',
    ]);
    expect(() => assertTransactionValid(receipt, { lot: vials, ledger })).toThrow(
      /cannot be recorded: This entry is already in the log/,
    );
  });
});

describe('append-only', () => {
  it('refuses any change to a stored entry, accepts a replay of the same one', () => {
    expect(() => assertAppendOnly(undefined, receipt)).not.toThrow();
    expect(() => assertAppendOnly(receipt, { ...receipt })).not.toThrow();
    expect(() => assertAppendOnly(receipt, { ...receipt, quantity: 90 })).toThrow(
      'Controlled-substance log entries are never changed — record a correcting entry instead',
    );
    expect(() =>
      assertAppendOnly(receipt, {
        ...receipt,
        status: 'entered-in-error',
        enteredInError: { by: prescriberId, at: '2026-11-22T09:00:00.000Z', reason: 'wrong' },
      }),
    ).toThrow(/never changed/);
  });
});

describe('the printable log', () => {
  const other = uuidv7();
  const entries = [
    receipt, // Nov 1
    given, // Nov 21 10:00
    wasted, // Nov 21 10:45
    tx({ lotId: other, quantity: 5, occurredAt: '2026-11-10T09:00:00.000Z' }),
    tx({
      type: 'administration',
      quantity: -1,
      occurredAt: '2026-11-22T03:30:00.000Z', // Nov 21 evening in Chicago
      doseId: uuidv7(),
      patientId,
    }),
  ];

  it('lists a date range with the running balance and the balances either side', () => {
    const log = controlledSubstanceLog(entries, {
      from: '2026-11-21',
      to: '2026-11-21',
      timeZone: 'UTC',
    });
    expect(log.rows.map((r) => [r.entry.quantity, r.balanceAfter])).toEqual([
      [-0.7, 99.3],
      [-0.3, 99],
    ]);
    expect(log.opening).toEqual({ [lotId]: 100, [other]: 5 });
    expect(log.closing).toEqual({ [lotId]: 99, [other]: 5 });
  });

  it("uses the clinic's days and filters by lot", () => {
    const log = controlledSubstanceLog(entries, {
      from: '2026-11-21',
      to: '2026-11-21',
      lotId,
      timeZone: 'America/Chicago',
    });
    expect(log.rows.map((r) => r.balanceAfter)).toEqual([99.3, 99, 98]);
    expect(Object.keys(log.closing)).toEqual([lotId]);
  });
});

describe('what one container holds (issue 15, finding 7; 21 CFR 1304.22(a)(2)(iii))', () => {
  it('is the recorded figure when the lot has one', () => {
    expect(lotContainer(lot({ unit: 'mg', unitsPerContainer: 500 }))).toEqual({
      amount: 500,
      unit: 'mg',
      fromProductName: false,
    });
    expect(lotContainerWords(lot({ unitsPerContainer: 10 }))).toBe('10 ml per container');
  });

  it("is read from an older lot's product name when it says so plainly, and marked as read", () => {
    // "Ketamine HCl injection 50 mg/ml, 10 ml vial": 10 ml, or 500 mg counted in mg.
    expect(lotContainer(lot())).toEqual({ amount: 10, unit: 'ml', fromProductName: true });
    expect(lotContainer(lot({ unit: 'mg' }))).toEqual({
      amount: 500,
      unit: 'mg',
      fromProductName: true,
    });
    // The strength from the name when the lot has no concentration field.
    expect(
      lotContainer(
        lot({
          unit: 'mg',
          concentrationMgPerMl: undefined,
          productName: 'Ketamine 100 mg/mL 5 mL',
        }),
      )?.amount,
    ).toBe(500);
    expect(
      lotContainer(
        lot({
          medication: 'esketamine-nasal',
          unit: 'device',
          productName: 'Spravato 28 mg nasal spray device',
        }),
      ),
    ).toEqual({ amount: 1, unit: 'device', fromProductName: true });
    expect(
      lotContainer(lot({ unit: 'device', productName: 'Spravato 84 mg kit, 3 devices per kit' }))
        ?.amount,
    ).toBe(3);
    expect(lotContainerWords(lot({ unit: 'mg' }))).toBe(
      '500 mg per container (read from the product name)',
    );
  });

  it('is not guessed when the name does not say it', () => {
    // "50 mg/ml" is a strength, not a volume.
    expect(lotContainer(lot({ productName: 'Ketamine HCl 50 mg/ml' }))).toBeUndefined();
    expect(
      lotContainer(lot({ unit: 'mg', concentrationMgPerMl: undefined, productName: '10 ml vial' })),
    ).toBeUndefined();
    expect(lotContainerWords(lot({ productName: 'Ketamine' }))).toBe(
      'amount per container not recorded',
    );
  });

  it('a receipt must add up: containers × what each holds = the quantity received', () => {
    const mgLot = lot({ unit: 'mg', unitsPerContainer: 500 });
    const r = (quantity: number, containers: number) =>
      transactionProblems(tx({ id: uuidv7(), quantity, containers }), { lot: mgLot, ledger: [] });
    expect(r(1000, 2)).toEqual([]);
    expect(r(900, 2)).toEqual([
      '2 containers of 500 mg make 1000 mg, not 900 — check the containers, the amount per ' +
        'container or the quantity received',
    ]);
    expect(r(400, 1)[0]).toMatch(/^1 container of 500 mg makes 500 mg, not 400/);
  });
});
