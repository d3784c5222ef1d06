/**
 * The controlled-substance log (21 CFR 1304; rules in shared/rules/inventory). Every entry is
 * checked by assertTransactionValid and written once, signed, never edited: corrections are new
 * entries. Administrations are made only from signed dose records (administrationFromDose).
 */
import {
  InventoryLotBody,
  InventoryTransactionBody,
  type DoseRecord,
  type LotBalanceAtSigning,
  type InventoryLot,
  type InventoryTransaction,
} from '../../shared/model';
import { administrationFromDose, amountFromLot, clinicDay } from '../../shared/rules/dosing';
import { RuleError } from '../../shared/rules/errors';
import { assertTransactionValid, balancesByLot } from '../../shared/rules/inventory';
import { uuidv7 } from '../../shared/util/ids';
import { clinicSettings } from './eligibility-repository';
import { ValidationError, type RecordStore } from './record-store';

export type InventoryView = {
  lots: InventoryLot[];
  entries: InventoryTransaction[];
  balances: Record<string, number>;
};

export async function inventoryView(store: RecordStore): Promise<InventoryView> {
  const [lots, entries] = await Promise.all([
    store.listKind('inventory-lot'),
    store.listKind('inventory-transaction'),
  ]);
  const live = entries.filter((e) => e.status !== 'entered-in-error');
  lots.sort((a, b) => a.expiry.localeCompare(b.expiry) || a.lotNumber.localeCompare(b.lotNumber));
  return { lots, entries: live, balances: balancesByLot(live) };
}

/** Check and append one entry; returns it signed by the person recording it. */
export async function recordEntry(
  store: RecordStore,
  input: InventoryTransactionBody,
  dose?: DoseRecord,
): Promise<InventoryTransaction> {
  return store.createSigned('inventory-transaction', await checkedEntry(store, input, dose));
}

/** One entry checked against the log as it stands; throws with the reasons when it may not be written. */
async function checkedEntry(
  store: RecordStore,
  input: InventoryTransactionBody,
  dose?: DoseRecord,
): Promise<InventoryTransactionBody> {
  if (!input.lotId) throw new RuleError('inventory.no-lot', 'Choose the lot for this entry.');
  const parsed = InventoryTransactionBody.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues);
  const tx = parsed.data;
  const lot = await store.get('inventory-lot', tx.lotId);
  if (!lot) throw new RuleError('inventory.no-lot', 'That lot is not in the inventory.');
  const ledger = (await store.listKind('inventory-transaction')).filter(
    (e) => e.status !== 'entered-in-error',
  );
  assertTransactionValid({ ...tx, id: uuidv7() }, { lot, ledger, dose });
  return tx;
}

export type Receipt = Pick<
  InventoryTransactionBody,
  'supplierName' | 'supplierAddress' | 'supplierDea' | 'containers' | 'invoice' | 'occurredAt'
> & {
  quantity: number;
  /**
   * The person receiving says the lot arrived already expired and is here: it goes on the log
   * (the stock is in the building) for return or disposal, never for doses.
   */
  receivedExpired?: boolean;
};

/**
 * A new lot received from a supplier: the lot record and its receipt entry. A lot already
 * expired on the day it arrives is refused unless received as such (product labeling: do not use
 * after the expiration date; issue 15, finding 7).
 */
export async function receiveLot(
  store: RecordStore,
  lotInput: InventoryLotBody,
  receipt: Receipt,
): Promise<{ lot: InventoryLot; entry: InventoryTransaction }> {
  const parsedLot = InventoryLotBody.safeParse(lotInput);
  if (!parsedLot.success) throw new ValidationError(parsedLot.error.issues);
  const body = parsedLot.data;
  // 21 CFR 1304.22(a)(2)(iii), (c): the units or volume in each container received. Asked as a
  // number in the lot's unit, no longer left to the product name (issue 15, finding 7).
  if (!body.unitsPerContainer)
    throw new RuleError(
      'inventory.per-container',
      `Record how much one container holds, in ${body.unit === 'device' ? 'devices' : body.unit} ` +
        '(e.g. a 10 ml vial of 50 mg/ml counted in mg holds 500)',
    );
  const { receivedExpired, ...entryFields } = receipt;
  const receivedOn = clinicDay(receipt.occurredAt, (await clinicSettings(store)).timeZone);
  const expired = body.expiry < receivedOn;
  if (expired && !receivedExpired)
    throw new RuleError(
      'inventory.lot-expired',
      `Lot ${body.lotNumber} expired on ${body.expiry}, before it was received — it cannot be used ` +
        'for doses. If the expired stock is here, tick that it was received expired so it is on ' +
        'the log for return or disposal',
    );
  const note = expired
    ? `Received already expired (expiry ${body.expiry}): for return or disposal, not for doses`
    : undefined;
  const existing = await store.listKind('inventory-lot');
  if (existing.some((l) => l.lotNumber === body.lotNumber && l.medication === body.medication))
    throw new RuleError(
      'inventory.lot-exists',
      `Lot ${body.lotNumber} is already in the inventory — record the receipt against it`,
    );
  // Check the receipt before the lot is written, so a refused receipt leaves no empty lot.
  const draft = {
    ...entryFields,
    ...(note ? { note } : {}),
    type: 'receipt' as const,
    performedBy: store.session.user.id,
  };
  const parsedReceipt = InventoryTransactionBody.safeParse({ ...draft, lotId: uuidv7() });
  if (!parsedReceipt.success) throw new ValidationError(parsedReceipt.error.issues);
  const check = parsedReceipt.data;
  assertTransactionValid(
    { ...check, id: uuidv7() },
    { lot: { ...body, id: check.lotId }, ledger: [] },
  );
  const lot = await store.create('inventory-lot', body);
  return { lot, entry: await recordEntry(store, { ...check, lotId: lot.id }) };
}

export type Waste = {
  lotId: string;
  /** Positive amount wasted, in the lot's unit. */
  amount: number;
  method: string;
  witnessId: string;
  occurredAt: string;
  note?: string;
};

/**
 * Witnessed waste. The witness confirmed with their own passphrase in the dialog; here the
 * witness must be an active colleague other than the person wasting.
 */
export async function recordWaste(store: RecordStore, w: Waste): Promise<InventoryTransaction> {
  const witness = w.witnessId ? await store.get('user', w.witnessId) : undefined;
  if (w.witnessId && (!witness || !witness.active))
    throw new RuleError('inventory.witness', 'The witness must be an active user of this clinic.');
  if (!(w.amount > 0))
    throw new RuleError('inventory.waste-amount', 'Enter the amount wasted (more than zero).');
  return recordEntry(store, {
    lotId: w.lotId,
    type: 'waste',
    quantity: -w.amount,
    occurredAt: w.occurredAt,
    wasteMethod: w.method,
    witnessId: w.witnessId || undefined,
    performedBy: store.session.user.id,
    note: w.note,
  });
}

export type CountKind = 'count' | 'initial-inventory' | 'biennial-inventory';

/**
 * A physical count of a lot already in the log; a difference from the book balance shows as a
 * discrepancy. As an initial or biennial inventory (21 CFR 1304.11) it moves no stock either:
 * the counted quantity is compared with the book like any count.
 */
export async function recordCount(
  store: RecordStore,
  c: { lotId: string; counted: number; occurredAt: string; note?: string; kind?: CountKind },
): Promise<InventoryTransaction> {
  if (!(c.counted >= 0))
    throw new RuleError('inventory.count', 'Enter the quantity counted on hand (0 or more).');
  return recordEntry(store, {
    lotId: c.lotId,
    type: c.kind ?? 'count',
    quantity: 0,
    countedQuantity: c.counted,
    occurredAt: c.occurredAt,
    performedBy: store.session.user.id,
    note: c.note,
  });
}

/**
 * Initial inventory of stock that was on hand before this log began (21 CFR 1304.11(b)): the lot
 * and one entry adding what was counted. A lot already in the log is counted instead.
 */
export async function recordInitialStock(
  store: RecordStore,
  lotInput: InventoryLotBody,
  stock: { counted: number; occurredAt: string; note?: string },
): Promise<{ lot: InventoryLot; entry: InventoryTransaction }> {
  const parsedLot = InventoryLotBody.safeParse(lotInput);
  if (!parsedLot.success) throw new ValidationError(parsedLot.error.issues);
  const body = parsedLot.data;
  const existing = await store.listKind('inventory-lot');
  if (existing.some((l) => l.lotNumber === body.lotNumber && l.medication === body.medication))
    throw new RuleError(
      'inventory.lot-exists',
      `Lot ${body.lotNumber} is already in the log — record its initial inventory as a count`,
    );
  if (!(stock.counted >= 0))
    throw new RuleError('inventory.count', 'Enter the quantity counted on hand (0 or more).');
  const entry = {
    type: 'initial-inventory' as const,
    quantity: stock.counted,
    occurredAt: stock.occurredAt,
    performedBy: store.session.user.id,
    note: stock.note || undefined,
  };
  const parsed = InventoryTransactionBody.safeParse({ ...entry, lotId: uuidv7() });
  if (!parsed.success) throw new ValidationError(parsed.error.issues);
  // Checked before the lot is written, so a refused entry leaves no empty lot.
  assertTransactionValid(
    { ...parsed.data, id: uuidv7() },
    { lot: { id: parsed.data.lotId, lotNumber: body.lotNumber }, ledger: [] },
  );
  const lot = await store.create('inventory-lot', body);
  return { lot, entry: await recordEntry(store, { ...parsed.data, lotId: lot.id }) };
}

/** An adjustment (with a reason), optionally correcting an earlier entry or count. */
export async function recordAdjustment(
  store: RecordStore,
  a: { lotId: string; quantity: number; occurredAt: string; note: string; corrects?: string },
): Promise<InventoryTransaction> {
  return recordEntry(store, {
    ...a,
    type: 'adjustment',
    performedBy: store.session.user.id,
  });
}

/**
 * The lot's book balance now and after this dose is taken from it, in the lot's unit: kept on the
 * dose record when it is signed (the same amount as its administration entry, amountFromLot).
 */
export async function lotBalanceAtSigning(
  store: RecordStore,
  dose: DoseRecord,
): Promise<LotBalanceAtSigning> {
  const lot = dose.lotId ? await store.get('inventory-lot', dose.lotId) : undefined;
  if (!lot)
    throw new RuleError('inventory.no-lot', 'The lot of this dose is not in the inventory.');
  const before = (await inventoryView(store)).balances[lot.id] ?? 0;
  const milli = Math.round(before * 1000) - Math.round(amountFromLot(dose, lot) * 1000);
  return { before, after: milli / 1000, unit: lot.unit };
}

/**
 * The administration entry for a signed dose, taken from the record itself and checked against
 * the log, not yet written: signDose writes it in the same transaction as the signature.
 */
export async function administrationEntry(
  store: RecordStore,
  dose: DoseRecord,
): Promise<InventoryTransactionBody> {
  if (!dose.lotId)
    throw new RuleError('inventory.no-lot', 'The dose record names no lot from the inventory.');
  const lot = await store.get('inventory-lot', dose.lotId);
  if (!lot)
    throw new RuleError('inventory.no-lot', 'The lot of this dose is not in the inventory.');
  // The address the patient record has at signing goes with the entry (21 CFR 1304.22(c)).
  const patient = await store.get('patient', dose.patientId);
  return checkedEntry(store, administrationFromDose(dose, lot, patient?.address), dose);
}
