/**
 * The controlled-substance log (ketamine: US Schedule III). 21 CFR 1304.21: a complete and
 * accurate record of every receipt and disposal; 1304.22(c): receipts with date, supplier name,
 * address and DEA number, units; each dispensing with date, patient, amount and who gave it;
 * 1304.11: initial inventory, then at least every two years. Entries are append-only: a mistake is
 * answered by a new entry that `corrects` it, never by an edit, so the log always shows both.
 * Quantities are kept to 0.001 of the lot's unit and summed as integers, so a balance never
 * depends on the order entries arrive in.
 */
import type {
  InventoryLot,
  InventoryTransaction,
  InventoryTransactionBody,
} from '../model/inventory';
import type { DoseRecord } from '../model/dose';
import { RuleError } from './errors';
import { addMonths, clinicDay, type CalendarDate } from './dosing/clinic-day';

export type LedgerEntry = Pick<
  InventoryTransaction,
  'id' | 'lotId' | 'type' | 'quantity' | 'occurredAt' | 'countedQuantity' | 'corrects'
>;

const toMilli = (q: number) => Math.round(q * 1000);
const fromMilli = (m: number) => m / 1000;
const byTime = (a: LedgerEntry, b: LedgerEntry) =>
  Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Receipts − administrations − waste ± adjustments for one lot, up to `until` if given. */
export function lotBalance(entries: readonly LedgerEntry[], lotId: string, until?: Date): number {
  let milli = 0;
  for (const e of entries)
    if (e.lotId === lotId && (!until || Date.parse(e.occurredAt) <= until.getTime()))
      milli += toMilli(e.quantity);
  return fromMilli(milli);
}

/** Current balance of every lot that has entries. */
export function balancesByLot(entries: readonly LedgerEntry[]): Record<string, number> {
  const milli: Record<string, number> = {};
  for (const e of entries) milli[e.lotId] = (milli[e.lotId] ?? 0) + toMilli(e.quantity);
  return Object.fromEntries(Object.entries(milli).map(([k, v]) => [k, fromMilli(v)]));
}

export type CountDiscrepancy = {
  countId: string;
  lotId: string;
  at: string;
  expected: number;
  counted: number;
  /** counted − expected: negative means stock is missing. */
  difference: number;
  /** The adjustment that corrects this count, if one was recorded. */
  resolvedBy?: string;
};

/** Every count or inventory whose counted quantity differs from the book balance at that time. */
export function countDiscrepancies(entries: readonly LedgerEntry[]): CountDiscrepancy[] {
  const out: CountDiscrepancy[] = [];
  for (const c of entries) {
    if (c.countedQuantity === undefined) continue;
    const expectedMilli = entries
      .filter((e) => e.lotId === c.lotId && e.id !== c.id && byTime(e, c) <= 0)
      .reduce((m, e) => m + toMilli(e.quantity), 0);
    const diff = toMilli(c.countedQuantity) - expectedMilli;
    if (diff === 0) continue;
    const fix = entries.find((e) => e.corrects === c.id && e.type === 'adjustment');
    out.push({
      countId: c.id,
      lotId: c.lotId,
      at: c.occurredAt,
      expected: fromMilli(expectedMilli),
      counted: c.countedQuantity,
      difference: fromMilli(diff),
      ...(fix ? { resolvedBy: fix.id } : {}),
    });
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export type BiennialStatus = {
  lastTakenOn?: CalendarDate;
  dueBy?: CalendarDate;
  overdue: boolean;
  message: string;
};

/**
 * 21 CFR 1304.11(b)–(c): an initial inventory when dispensing begins, then a biennial inventory
 * within two years of the previous one. Inventories cover all stock on one day, so the latest
 * initial or biennial entry of any lot counts.
 */
export function biennialInventoryDue(
  entries: readonly LedgerEntry[],
  today: CalendarDate,
  timeZone?: string,
): BiennialStatus {
  const days = entries
    .filter((e) => e.type === 'initial-inventory' || e.type === 'biennial-inventory')
    .map((e) => clinicDay(e.occurredAt, timeZone))
    .sort();
  const lastTakenOn = days[days.length - 1];
  if (!lastTakenOn)
    return {
      overdue: true,
      message: 'No initial inventory on record — take one now (21 CFR 1304.11(b))',
    };
  const dueBy = addMonths(lastTakenOn, 24);
  const overdue = today > dueBy;
  return {
    lastTakenOn,
    dueBy,
    overdue,
    message: overdue
      ? `The biennial inventory was due by ${dueBy} — take it now (21 CFR 1304.11(c))`
      : `Next biennial inventory due by ${dueBy}`,
  };
}

type TxInput = InventoryTransactionBody & { id: string };

export const UNIT_WORDS: Record<InventoryLot['unit'], string> = {
  mg: 'mg',
  ml: 'ml',
  device: 'devices',
};
export const containersWord = (n: number) => `${n} ${n === 1 ? 'container' : 'containers'}`;

/** What one container of a lot holds, in the lot's unit, and where that figure comes from. */
export type LotContainer = { amount: number; unit: InventoryLot['unit']; fromProductName: boolean };

/**
 * What one container of the lot holds: as recorded at receipt, or, for a lot received before it
 * was asked, read from its product name when that says it plainly ("…50 mg/ml, 10 ml vial"
 * counted in mg: 500; "…28 mg nasal spray device": 1 device). Undefined when neither says: the
 * log then shows it as not recorded rather than a guess.
 */
export function lotContainer(
  lot: Pick<InventoryLot, 'unit' | 'productName' | 'concentrationMgPerMl' | 'unitsPerContainer'>,
): LotContainer | undefined {
  if (lot.unitsPerContainer)
    return { amount: lot.unitsPerContainer, unit: lot.unit, fromProductName: false };
  const name = lot.productName;
  const read = (amount: number | undefined) =>
    amount && Number.isFinite(amount) && amount > 0
      ? { amount: fromMilli(toMilli(amount)), unit: lot.unit, fromProductName: true }
      : undefined;
  if (lot.unit === 'device') {
    const kit = /(\d+)\s*devices?\s*(?:per|\/|in each|in a)\s*(?:kit|pack|carton|box)/i.exec(name);
    if (kit) return read(Number(kit[1]));
    return /\bdevice\b/i.test(name) ? read(1) : undefined;
  }
  // A volume is a number followed by ml that is not the "/ml" of a concentration.
  const volume = /(?<![/\d.])(\d+(?:\.\d+)?)\s*ml\b/i.exec(name);
  if (!volume) return undefined;
  const ml = Number(volume[1]);
  if (lot.unit === 'ml') return read(ml);
  const strength = /(\d+(?:\.\d+)?)\s*mg\s*\/\s*ml\b/i.exec(name);
  const concentration = lot.concentrationMgPerMl ?? (strength ? Number(strength[1]) : undefined);
  return concentration ? read(ml * concentration) : undefined;
}

/** "500 mg per container", with where the figure came from when it was not recorded. */
export function lotContainerWords(lot: Parameters<typeof lotContainer>[0]): string {
  const c = lotContainer(lot);
  if (!c) return 'amount per container not recorded';
  const words = `${c.amount} ${UNIT_WORDS[c.unit]} per container`;
  return c.fromProductName ? `${words} (read from the product name)` : words;
}

export type TransactionContext = {
  lot: Pick<InventoryLot, 'id' | 'lotNumber'> &
    Partial<Pick<InventoryLot, 'unit' | 'unitsPerContainer'>>;
  /** Every entry already in the log (any lot). */
  ledger: readonly InventoryTransaction[];
  /** For an administration: the dose record it comes from. */
  dose?: Pick<DoseRecord, 'id' | 'status' | 'lotId' | 'patientId'>;
};

/** Problems with a new log entry, in plain words; empty when it may be written. */
export function transactionProblems(tx: TxInput, ctx: TransactionContext): string[] {
  const p: string[] = [];
  if (tx.lotId !== ctx.lot.id) p.push('The entry is not for this lot');
  if (Math.abs(tx.quantity * 1000 - toMilli(tx.quantity)) > 1e-6)
    p.push('Record the quantity to at most three decimals');
  if (ctx.ledger.some((e) => e.id === tx.id))
    p.push('This entry is already in the log; correct it with a new entry instead');
  p.push(...typeProblems(tx, ctx));
  if (tx.corrects !== undefined) {
    const target = ctx.ledger.find((e) => e.id === tx.corrects);
    if (!target || target.lotId !== tx.lotId)
      p.push('A correction must point at an existing entry of the same lot');
    if (tx.type !== 'adjustment') p.push('Record a correction as an adjustment');
  }
  const after = toMilli(lotBalance(ctx.ledger, tx.lotId)) + toMilli(tx.quantity);
  if (after < 0)
    p.push(
      `This would take lot ${ctx.lot.lotNumber} below zero (on hand: ` +
        `${lotBalance(ctx.ledger, tx.lotId)}) — count the stock and record an adjustment first`,
    );
  return p;
}

function typeProblems(tx: TxInput, ctx: TransactionContext): string[] {
  const p: string[] = [];
  switch (tx.type) {
    case 'receipt':
      if (!(tx.quantity > 0)) p.push('A receipt adds stock: enter a positive quantity');
      if (!tx.supplierName?.trim() || !tx.supplierAddress?.trim() || !tx.supplierDea)
        p.push("Record the supplier's name, address and DEA number (21 CFR 1304.22(c))");
      if (!tx.containers) p.push('Record the number of containers received');
      else if (ctx.lot.unitsPerContainer) {
        // 21 CFR 1304.22(a)(2)(iii), (c): containers received and what each holds.
        const total = tx.containers * toMilli(ctx.lot.unitsPerContainer);
        if (total !== toMilli(tx.quantity)) {
          const unit = ctx.lot.unit ? ` ${UNIT_WORDS[ctx.lot.unit]}` : '';
          p.push(
            `${containersWord(tx.containers)} of ${ctx.lot.unitsPerContainer}${unit} ` +
              `${tx.containers === 1 ? 'makes' : 'make'} ` +
              `${fromMilli(total)}${unit}, not ${tx.quantity} — check the containers, the amount ` +
              'per container or the quantity received',
          );
        }
      }
      break;
    case 'administration':
      p.push(...administrationProblems(tx, ctx));
      break;
    case 'waste':
      if (!(tx.quantity < 0)) p.push('Waste removes stock: enter a negative quantity');
      if (!tx.wasteMethod?.trim()) p.push('Record how the waste was disposed of');
      // Two-person witnessed waste is common practice for controlled substances.
      if (!tx.witnessId) p.push('Waste needs a witness — ask a colleague to confirm it');
      else if (tx.witnessId === tx.performedBy)
        p.push('The witness must be someone other than the person wasting');
      break;
    case 'adjustment':
      if (tx.quantity === 0) p.push('An adjustment of zero changes nothing');
      if (!tx.note?.trim()) p.push('Say why the balance is adjusted');
      break;
    case 'count':
    case 'biennial-inventory':
      if (tx.quantity !== 0) p.push('A count does not move stock: its quantity is 0');
      if (tx.countedQuantity === undefined || tx.countedQuantity < 0)
        p.push('Record the quantity counted on hand');
      break;
    case 'initial-inventory':
      if (tx.quantity < 0) p.push('An initial inventory cannot be negative');
      if (ctx.ledger.some((e) => e.lotId === tx.lotId && e.type === 'initial-inventory'))
        p.push('This lot already has an initial inventory');
      break;
  }
  return p;
}

/** 21 CFR 1304.22(c): each dispensing, from the signed dose record, recorded once. */
function administrationProblems(tx: TxInput, ctx: TransactionContext): string[] {
  const p: string[] = [];
  if (!(tx.quantity < 0)) p.push('An administration removes stock: enter a negative quantity');
  if (!tx.doseId || !tx.patientId)
    return [...p, 'An administration is created from a signed dose record, not typed in'];
  const dose = ctx.dose;
  if (!dose || dose.id !== tx.doseId) return [...p, 'The dose record for this entry was not found'];
  if (dose.status !== 'signed')
    p.push('Sign the dose record first: the log takes administrations from signed doses');
  if (dose.lotId !== tx.lotId) p.push('The dose record names a different lot');
  if (dose.patientId !== tx.patientId) p.push('The dose record is for a different patient');
  if (ctx.ledger.some((e) => e.type === 'administration' && e.doseId === tx.doseId))
    p.push('This dose is already in the log; correct it with an adjustment instead');
  return p;
}

export function assertTransactionValid(tx: TxInput, ctx: TransactionContext): void {
  const problems = transactionProblems(tx, ctx);
  if (problems.length)
    throw new RuleError(
      'inventory.invalid',
      `This log entry cannot be recorded: ${problems.join('; ')}.`,
    );
}

/** The log is append-only: an existing entry is never written over (a replay of it is fine). */
export function assertAppendOnly(
  before: InventoryTransaction | undefined,
  after: InventoryTransaction,
): void {
  if (before && JSON.stringify(before) !== JSON.stringify(after))
    throw new RuleError(
      'inventory.append-only',
      'Controlled-substance log entries are never changed — record a correcting entry instead',
    );
}

export type LogRow<T extends LedgerEntry> = { entry: T; balanceAfter: number };
export type LogQuery = { from: CalendarDate; to: CalendarDate; lotId?: string; timeZone?: string };

/**
 * The printable log for a date range (clinic days, inclusive): entries in time order with the
 * running balance of their lot after each, and each lot's balance before and after the range.
 */
export function controlledSubstanceLog<T extends LedgerEntry>(
  entries: readonly T[],
  q: LogQuery,
): { rows: LogRow<T>[]; opening: Record<string, number>; closing: Record<string, number> } {
  const running: Record<string, number> = {};
  const opening: Record<string, number> = {};
  const rows: LogRow<T>[] = [];
  const sorted = entries.filter((e) => !q.lotId || e.lotId === q.lotId).sort(byTime);
  for (const e of sorted) {
    const day = clinicDay(e.occurredAt, q.timeZone);
    if (day > q.to) break;
    if (day >= q.from && !(e.lotId in opening)) opening[e.lotId] = running[e.lotId] ?? 0;
    running[e.lotId] = (running[e.lotId] ?? 0) + toMilli(e.quantity);
    if (day >= q.from) rows.push({ entry: e, balanceAfter: fromMilli(running[e.lotId]!) });
  }
  for (const lot of Object.keys(running)) opening[lot] ??= running[lot]!;
  const milli = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromMilli(v)]));
  return { rows, opening: milli(opening), closing: milli(running) };
}
