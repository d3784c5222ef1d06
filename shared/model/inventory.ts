import { z } from 'zod';
import { CalendarDate, Instant, RecordId, nonEmpty, recordBase } from './common';
import { Medication } from './dose';

/** A lot of stock received (21 CFR 1304.22(c): date, supplier name/address/DEA number, units). */
export const InventoryLotBody = z.object({
  medication: Medication,
  productName: nonEmpty('Product').max(200),
  lotNumber: nonEmpty('Lot number').max(60),
  expiry: CalendarDate,
  concentrationMgPerMl: z.number().positive().optional(),
  unit: z.enum(['mg', 'ml', 'device']),
  /**
   * What one container holds, in the lot's unit (10 ml of 50 mg/ml counted in mg: 500). Asked on
   * every new receipt; lots received before it was asked have it only in their product name,
   * which lotContainer (shared/rules/inventory) reads when it can.
   */
  unitsPerContainer: z.number().positive().max(1_000_000).optional(),
});
export type InventoryLotBody = z.infer<typeof InventoryLotBody>;

export const InventoryLot = z.object({
  kind: z.literal('inventory-lot'),
  ...recordBase,
  ...InventoryLotBody.shape,
});
export type InventoryLot = z.infer<typeof InventoryLot>;

/** Append-only: corrections are new entries (21 CFR 1304.21, records readily retrievable). */
export const InventoryTransactionBody = z.object({
  lotId: RecordId,
  type: z.enum([
    'receipt',
    'administration',
    'waste',
    'adjustment',
    'count',
    'initial-inventory',
    'biennial-inventory',
  ]),
  /**
   * Signed quantity in the lot's unit, to 0.001: receipts and the initial inventory positive,
   * administration and waste negative, adjustments either way (a correction is an adjustment
   * with `corrects`); counts and biennial inventories 0, the count in countedQuantity.
   * The balance is the sum of these (shared/rules/inventory).
   */
  quantity: z.number(),
  occurredAt: Instant,
  supplierName: z.string().max(200).optional(),
  supplierAddress: z.string().max(400).optional(),
  supplierDea: z
    .string()
    .regex(/^[A-Z]{2}\d{7}$/, 'DEA number: two letters and seven digits')
    .optional(),
  containers: z.number().int().positive().optional(),
  invoice: z.string().max(80).optional(),
  doseId: RecordId.optional(),
  patientId: RecordId.optional(),
  /**
   * Administrations: the patient's address when the dose was signed, copied from the patient
   * record (21 CFR 1304.22(c): name and address of the person). Absent on entries made before it
   * was kept, and when the patient record had no address.
   */
  patientAddress: z.string().max(400).optional(),
  wasteMethod: z.string().max(200).optional(),
  witnessId: RecordId.optional(),
  performedBy: RecordId,
  countedQuantity: z.number().optional(),
  note: z.string().max(2000).optional(),
  corrects: RecordId.optional(),
});
export type InventoryTransactionBody = z.infer<typeof InventoryTransactionBody>;

export const InventoryTransaction = z.object({
  kind: z.literal('inventory-transaction'),
  ...recordBase,
  ...InventoryTransactionBody.shape,
});
export type InventoryTransaction = z.infer<typeof InventoryTransaction>;
