/**
 * The controlled-substance log on paper for a date range (21 CFR 1304.21: records "readily
 * retrievable" for inspection; 1304.22(c): receipts with supplier name, address and DEA number,
 * each administration with date, patient, amount and who gave it). Every entry with the running
 * balance of its lot, each lot's balance before and after the range, and count discrepancies.
 */
import type { InventoryLot, InventoryTransaction } from '../model/inventory';
import {
  containersWord,
  controlledSubstanceLog,
  countDiscrepancies,
  lotContainer,
  UNIT_WORDS,
} from '../rules/inventory';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatCalendarDate, formatInstant } from './format';
import { MUTED, PageFlow, type Letterhead } from './layout';
import { drawTable } from './tables';

export type CsLogInput = {
  letterhead: Letterhead;
  /** The clinic's DEA registration, printed on every page when known. */
  registration?: string;
  from: string;
  to: string;
  lots: readonly InventoryLot[];
  entries: readonly InventoryTransaction[];
  /** id → display name, for people (performed by, witness) and patients. */
  names: Readonly<Record<string, string>>;
  /**
   * Patient id → the address on the patient record now: printed, marked as such, for
   * administrations logged before the address was kept with the entry.
   */
  addresses?: Readonly<Record<string, string>>;
  generatedAt: Date | string;
  printedBy: string;
  timeZone?: string;
  fonts: PdfFontBytes;
};

const TYPE_WORDS: Record<InventoryTransaction['type'], string> = {
  receipt: 'Receipt',
  administration: 'Administration',
  waste: 'Waste',
  adjustment: 'Adjustment',
  count: 'Count',
  'initial-inventory': 'Initial inventory',
  'biennial-inventory': 'Biennial inventory',
};

const qty = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, ''));
const signed = (n: number) => (n > 0 ? `+${qty(n)}` : qty(n));

/** A lot's amount per container for the balances table; "read from name" when not recorded. */
function containerCell(lot: InventoryLot): string {
  const c = lotContainer(lot);
  if (!c) return 'not recorded';
  return `${qty(c.amount)} ${UNIT_WORDS[lot.unit]}${c.fromProductName ? ' (read from name)' : ''}`;
}

/** The patient of an administration: name and address (21 CFR 1304.22(c)). */
function patientWords(e: InventoryTransaction, input: CsLogInput): string {
  const name = e.patientId ? (input.names[e.patientId] ?? 'unknown') : 'unknown';
  if (e.patientAddress) return `Patient: ${name}, ${e.patientAddress}`;
  const now = e.patientId ? input.addresses?.[e.patientId] : undefined;
  // An entry made before the address was kept: the record's address today, said as such.
  return now
    ? `Patient: ${name}; address not kept with this entry — on file now: ${now}`
    : `Patient: ${name}; no address on file`;
}

/** What the row says about where the stock came from or went, and why. */
function detail(e: InventoryTransaction, input: CsLogInput, lot?: InventoryLot): string {
  const name = (id?: string) => (id ? (input.names[id] ?? 'unknown') : '');
  switch (e.type) {
    case 'receipt': {
      // 21 CFR 1304.22(a)(2)(iii), (c): the number of containers and what each holds.
      const each = lot && lotContainer(lot);
      const containers =
        e.containers &&
        containersWord(e.containers) +
          (each
            ? ` of ${qty(each.amount)} ${UNIT_WORDS[lot.unit]}${each.fromProductName ? ' (per container read from the product name)' : ''}`
            : ' (amount per container not recorded)');
      return [
        e.supplierName,
        e.supplierAddress,
        e.supplierDea && `DEA ${e.supplierDea}`,
        containers,
        e.invoice && `invoice ${e.invoice}`,
      ]
        .filter(Boolean)
        .join(', ');
    }
    case 'administration':
      return patientWords(e, input);
    case 'waste':
      return [e.wasteMethod, `witness: ${name(e.witnessId)}`, e.note].filter(Boolean).join('; ');
    case 'count':
    case 'biennial-inventory':
      return `Counted ${qty(e.countedQuantity ?? 0)}${e.note ? `; ${e.note}` : ''}`;
    default:
      return [e.note, e.corrects && 'corrects an earlier entry'].filter(Boolean).join('; ');
  }
}

export async function buildControlledSubstanceLogPdf(input: CsLogInput): Promise<Uint8Array> {
  const tz = input.timeZone ?? 'UTC';
  const range = `${formatCalendarDate(input.from)} – ${formatCalendarDate(input.to)}`;
  const { doc, fonts } = await createPrintDocument({
    title: `Controlled-substance log ${input.from} to ${input.to}`,
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.letterhead,
    identity: [
      'Controlled-substance log',
      range,
      input.registration ? `DEA ${input.registration}` : '',
    ].filter(Boolean),
    footer: `Controlled-substance log · printed ${formatInstant(input.generatedAt, tz)} by ${input.printedBy}`,
  });
  const log = controlledSubstanceLog(input.entries, {
    from: input.from,
    to: input.to,
    timeZone: tz,
  });
  const lotById = new Map(input.lots.map((l) => [l.id, l]));

  flow.heading(`Controlled-substance log, ${range}`, 15);
  flow.paragraph(
    "Entries are append-only: a correction is a later entry. Quantities are in each lot's unit; " +
      'receipts add stock, administrations and waste remove it.',
    { size: 8.5, color: MUTED },
  );

  flow.heading('Balances by lot', 11.5);
  const lotIds = input.lots.map((l) => l.id).filter((id) => id in log.closing || id in log.opening);
  drawTable(
    flow,
    [
      { header: 'Lot', width: 0.13, bold: true, whole: true },
      { header: 'Product', width: 0.29 },
      { header: 'Per container', width: 0.14 },
      { header: 'Expiry', width: 0.13 },
      { header: 'Unit', width: 0.07 },
      { header: 'Opening', width: 0.12 },
      { header: 'Closing', width: 0.12 },
    ],
    lotIds.map((id) => {
      const lot = lotById.get(id)!;
      return [
        lot.lotNumber,
        lot.productName,
        containerCell(lot),
        formatCalendarDate(lot.expiry),
        lot.unit,
        qty(log.opening[id] ?? 0),
        qty(log.closing[id] ?? 0),
      ];
    }),
  );

  flow.heading('Entries', 11.5);
  if (log.rows.length === 0) flow.paragraph('No entries in this date range.');
  else
    drawTable(
      flow,
      [
        { header: 'Date and time', width: 0.16 },
        { header: 'Lot', width: 0.09, bold: true, whole: true },
        { header: 'Entry', width: 0.15 },
        { header: 'Qty', width: 0.07 },
        { header: 'Balance', width: 0.08 },
        { header: 'Details', width: 0.31 },
        { header: 'By', width: 0.14 },
      ],
      log.rows.map(({ entry, balanceAfter }) => [
        formatInstant(entry.occurredAt, tz),
        lotById.get(entry.lotId)?.lotNumber ?? '?',
        TYPE_WORDS[entry.type],
        entry.type === 'count' || entry.type === 'biennial-inventory'
          ? '0'
          : signed(entry.quantity),
        qty(balanceAfter),
        detail(entry, input, lotById.get(entry.lotId)),
        input.names[entry.performedBy] ?? 'unknown',
      ]),
      { size: 8 },
    );

  const inRange = new Set(log.rows.map((r) => r.entry.id));
  const flags = countDiscrepancies(input.entries).filter((d) => inRange.has(d.countId));
  flow.heading('Count discrepancies', 11.5);
  if (flags.length === 0)
    flow.paragraph('None: every count in this range matched the book balance.');
  else
    flow.bullets(
      flags.map(
        (d) =>
          `${formatInstant(d.at, tz)}, lot ${lotById.get(d.lotId)?.lotNumber ?? '?'}: counted ` +
          `${qty(d.counted)}, book ${qty(d.expected)} (difference ${signed(d.difference)})` +
          (d.resolvedBy ? ' — corrected by an adjustment' : ' — NOT YET RESOLVED'),
      ),
    );
  flow.finish();
  return doc.save();
}
