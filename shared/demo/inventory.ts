/**
 * The demo clinic's controlled-substance log (21 CFR 1304.21–.22): one lot per medication per
 * quarter, each dose drawn from the lot of its quarter and logged as an administration made from
 * the signed dose (shared/rules/dosing/log-entry), receipts that cover every administration in
 * whole containers, and the unused rest of an expired lot wasted with a witness. So the log
 * balances: receipts − administrations − waste is each lot's stock on hand, never below zero.
 */
import type { AnyRecord } from '../model';
import type { DoseRecord, Medication } from '../model/dose';
import type { InventoryLot, InventoryTransaction } from '../model/inventory';
import { administrationFromDose } from '../rules/dosing/log-entry';
import { type Rng, seededRng } from './random';

const DAY = 86_400_000;
const QUARTER_MONTHS = 3;

/** What a clinic buys: ketamine 10 mg/mL in 20 mL vials (counted in mL), Spravato devices. */
const PRODUCTS: Record<
  'ketamine-hcl' | 'esketamine-nasal',
  { productName: string; unit: 'ml' | 'device'; perContainer: number; concentration?: number }
> = {
  'ketamine-hcl': {
    productName: 'Ketamine HCl injection 10 mg/mL, 20 mL vial',
    unit: 'ml',
    perContainer: 20,
    concentration: 10,
  },
  'esketamine-nasal': {
    productName: 'Spravato (esketamine) 28 mg nasal spray device',
    unit: 'device',
    perContainer: 1,
  },
};

const SUPPLIER = {
  supplierName: 'Cardinal Health 110, LLC',
  supplierAddress: '7000 Cardinal Place, Dublin, OH 43017',
  supplierDea: 'RC0123456',
};

export type Meta = (atMs: number, createdBy: string) => Record<string, unknown>;
type Signer = { id: string; name: string };
export type SignAs = <T extends AnyRecord>(r: T, who: Signer, atMs: number) => Promise<T>;

/** A lot and what was given from it: [when, how much in thousandths of the lot's unit]. */
type LotState = { lot: InventoryLot; used: number; given: [number, number][] };

export class DemoLotBook {
  private readonly lots = new Map<string, LotState>();
  private readonly rng: Rng;

  constructor(
    seed: number,
    /** Record identity and clock from the generator, drawing ids from the rng given. */
    private readonly meta: (rng: Rng) => Meta,
  ) {
    // Its own stream, so lots and receipts do not depend on the order patients are generated in.
    this.rng = seededRng(seed ^ 0x5eed_107);
  }

  /** The lot a dose given at `atMs` comes from; a new lot is returned once in `fresh`. */
  lotFor(
    medication: Medication,
    atMs: number,
    orderedBy: string,
    fresh: AnyRecord[],
  ): InventoryLot {
    const product = PRODUCTS[medication as keyof typeof PRODUCTS];
    if (!product) throw new Error(`The demo clinic stocks no ${medication}.`);
    const d = new Date(atMs);
    const quarterStart = Date.UTC(
      d.getUTCFullYear(),
      Math.floor(d.getUTCMonth() / QUARTER_MONTHS) * QUARTER_MONTHS,
      1,
    );
    const key = `${medication}:${quarterStart}`;
    const known = this.lots.get(key);
    if (known) return known.lot;
    const received = quarterStart - 3 * DAY;
    const expiry = new Date(quarterStart);
    expiry.setUTCMonth(expiry.getUTCMonth() + 15);
    const lot = {
      kind: 'inventory-lot' as const,
      ...this.meta(this.rng)(received, orderedBy),
      medication,
      productName: product.productName,
      lotNumber: `${medication === 'esketamine-nasal' ? 'SP' : 'K'}${d.getUTCFullYear() % 100}${String(
        this.rng.int(10_000, 99_999),
      )}`,
      expiry: expiry.toISOString().slice(0, 10),
      ...(product.concentration ? { concentrationMgPerMl: product.concentration } : {}),
      unit: product.unit,
      unitsPerContainer: product.perContainer,
    } as InventoryLot;
    this.lots.set(key, { lot, used: 0, given: [] });
    fresh.push(lot);
    return lot;
  }

  /** The log entry of a signed dose, made the way the app makes it. */
  async administration(
    dose: DoseRecord,
    meta: Meta,
    signAs: SignAs,
    performer: Signer,
    patientAddress?: string,
  ): Promise<InventoryTransaction> {
    const state = [...this.lots.values()].find((s) => s.lot.id === dose.lotId);
    if (!state) throw new Error('A demo dose names a lot the demo log does not hold.');
    const body = administrationFromDose(dose, state.lot, patientAddress);
    const at = Date.parse(body.occurredAt);
    state.used += Math.round(-body.quantity * 1000);
    state.given.push([at, Math.round(-body.quantity * 1000)]);
    return signAs(
      { kind: 'inventory-transaction', ...meta(at, performer.id), ...body } as InventoryTransaction,
      performer,
      at,
    );
  }

  /**
   * Receipts (whole containers, before the quarter began), for lots expired by `now` the witnessed
   * waste of what was left, the initial inventory when dispensing began and a biennial inventory
   * every two years since (21 CFR 1304.11), each counting exactly the book balance.
   * Called once, after every dose is generated.
   */
  async closingEntries(
    now: number,
    staff: { receiver: Signer; witness: Signer },
    signAs: SignAs,
  ): Promise<AnyRecord[]> {
    const out: AnyRecord[] = [];
    /** Per lot: [when, thousandths added (+) or removed (−)]. */
    const moves = new Map<string, [number, number][]>();
    const entry = (lot: InventoryLot, atMs: number, body: Record<string, unknown>) =>
      signAs(
        {
          kind: 'inventory-transaction',
          ...this.meta(this.rng)(atMs, staff.receiver.id),
          lotId: lot.id,
          performedBy: staff.receiver.id,
          occurredAt: new Date(atMs).toISOString(),
          ...body,
        } as InventoryTransaction,
        staff.receiver,
        atMs,
      );
    for (const { lot, used, given } of this.lots.values()) {
      const product = PRODUCTS[lot.medication as keyof typeof PRODUCTS];
      const perContainer = product.perContainer * 1000;
      const containers = Math.max(1, Math.ceil(used / perContainer) + this.rng.int(0, 2));
      const receivedAt = Date.parse(lot.createdAt);
      const lotMoves: [number, number][] = [
        [receivedAt, containers * perContainer],
        ...given.map(([at, q]): [number, number] => [at, -q]),
      ];
      out.push(
        await entry(lot, receivedAt, {
          type: 'receipt',
          quantity: (containers * perContainer) / 1000,
          ...SUPPLIER,
          containers,
          invoice: `INV-${lot.lotNumber}`,
        }),
      );
      const expiresAt = Date.parse(`${lot.expiry}T17:00:00Z`);
      const left = containers * perContainer - used;
      if (expiresAt < now && left > 0) {
        lotMoves.push([expiresAt, -left]);
        out.push(
          await entry(lot, expiresAt, {
            type: 'waste',
            quantity: -left / 1000,
            wasteMethod: 'Expired stock: sealed and returned to the reverse distributor',
            witnessId: staff.witness.id,
          }),
        );
      }
      moves.set(lot.id, lotMoves);
    }
    out.push(...(await this.inventories(now, moves, entry)));
    return out;
  }

  private async inventories(
    now: number,
    moves: Map<string, [number, number][]>,
    entry: (lot: InventoryLot, atMs: number, body: Record<string, unknown>) => Promise<AnyRecord>,
  ): Promise<AnyRecord[]> {
    const lots = [...this.lots.values()].map((s) => s.lot);
    const first = lots.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (!first) return [];
    const out: AnyRecord[] = [];
    /** One inventory: every lot received by `at` that still holds stock, counted at its book balance. */
    const count = async (at: number, type: 'initial-inventory' | 'biennial-inventory') => {
      for (const lot of lots) {
        const balance = (moves.get(lot.id) ?? [])
          .filter(([when]) => when <= at)
          .reduce((n, [, q]) => n + q, 0);
        if (Date.parse(lot.createdAt) > at || balance <= 0) continue;
        out.push(await entry(lot, at, { type, quantity: 0, countedQuantity: balance / 1000 }));
      }
    };
    // Taken the day dispensing began, just after the first stock arrived.
    const start = Date.parse(first.createdAt) + 3_600_000;
    await count(start, 'initial-inventory');
    const TWO_YEARS_LESS_A_MONTH = (2 * 365 - 30) * DAY;
    for (let at = start + TWO_YEARS_LESS_A_MONTH; at < now; at += TWO_YEARS_LESS_A_MONTH)
      await count(Math.floor(at / DAY) * DAY + 6.5 * 3_600_000, 'biennial-inventory'); // before opening
    return out;
  }
}
