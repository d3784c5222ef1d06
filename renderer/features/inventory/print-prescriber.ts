/**
 * Builds and hands the prescriber printouts to the platform (print or save), and audits each one
 * (HIPAA 164.312(b): prints and exports are audited like edits).
 */
import { patientDisplayName, type DoseRecord, type Patient } from '../../../shared/model';
import { type Disclosure, disclosureDetail } from '../../../shared/rules/disclosures';
import { clinicSettings } from '../../db/eligibility-repository';
import { inventoryView } from '../../db/inventory-repository';
import type { RecordStore } from '../../db/record-store';
import { platform } from '../../platform';
import { loadPdfFonts } from './pdf-fonts';

export type PrintMode = 'print' | 'save';
/**
 * Printouts read in the clinic's days and times: its time zone from the dosing settings, the
 * computer's own when the clinic has not set one (issue 15, deliverable 7).
 */
const zoneOf = (settings: { timeZone?: string }) =>
  settings.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone;

async function peopleNames(store: RecordStore, patientIds: Iterable<string>) {
  const names: Record<string, string> = {};
  for (const u of await store.listKind('user'))
    names[u.id] = u.credentials ? `${u.displayName}, ${u.credentials}` : u.displayName;
  for (const id of new Set(patientIds)) {
    const p = await store.get('patient', id);
    if (p) names[id] = patientDisplayName(p);
  }
  return names;
}

/** Hands the PDF over; false when the person cancelled the print or save dialog (nothing left). */
async function deliver(bytes: Uint8Array, title: string, fileName: string, mode: PrintMode) {
  const result =
    mode === 'print'
      ? await platform.printPdf({ bytes, title })
      : await platform.savePdf({ bytes, suggestedName: fileName });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.outcome !== 'cancelled';
}

/** The controlled-substance log for clinic days `from`–`to` (YYYY-MM-DD, inclusive). */
export async function printControlledSubstanceLog(
  store: RecordStore,
  range: { from: string; to: string },
  mode: PrintMode,
  disclosure: Disclosure,
) {
  if (range.from > range.to) throw new Error('The start date is after the end date.');
  const [view, settings, fonts] = await Promise.all([
    inventoryView(store),
    clinicSettings(store),
    loadPdfFonts(),
  ]);
  const names = await peopleNames(
    store,
    view.entries.flatMap((e) => (e.patientId ? [e.patientId] : [])),
  );
  // For administrations logged before the address was kept with them: the address on file now,
  // which the log prints as such (21 CFR 1304.22(c)).
  const addresses: Record<string, string> = {};
  for (const e of view.entries)
    if (e.type === 'administration' && e.patientId && !e.patientAddress) {
      const address = (await store.get('patient', e.patientId))?.address;
      if (address) addresses[e.patientId] = address;
    }
  const { buildControlledSubstanceLogPdf } = await import('../../../shared/print/cs-log');
  const bytes = await buildControlledSubstanceLogPdf({
    letterhead: {
      clinicName: settings.clinicName,
      clinicAddress: settings.address,
      clinicPhone: settings.phone,
    },
    ...range,
    lots: view.lots,
    entries: view.entries,
    names,
    addresses,
    generatedAt: new Date(),
    printedBy: store.session.user.displayName,
    timeZone: zoneOf(settings),
    fonts,
  });
  const left = await deliver(
    bytes,
    'Controlled-substance log',
    `cs-log-${range.from}-to-${range.to}.pdf`,
    mode,
  );
  if (!left) return;
  await store.audit(mode === 'print' ? 'print' : 'export', {
    recordKind: 'inventory-transaction',
    detail: disclosureDetail(
      `Controlled-substance log ${range.from} to ${range.to}`,
      disclosure,
      view.entries.map((e) => e.patientId ?? ''),
    ),
  });
}

/** The esketamine monitoring summary (REMS form facts) for one dose record. */
export async function printRemsSummary(
  store: RecordStore,
  dose: DoseRecord,
  patient: Patient,
  disclosure: Disclosure,
) {
  const [settings, fonts] = await Promise.all([clinicSettings(store), loadPdfFonts()]);
  const names = await peopleNames(store, []);
  const { buildRemsSummaryPdf } = await import('../../../shared/print/rems-summary');
  const bytes = await buildRemsSummaryPdf({
    letterhead: {
      clinicName: settings.clinicName,
      clinicAddress: settings.address,
      clinicPhone: settings.phone,
    },
    patient,
    dose,
    names,
    generatedAt: new Date(),
    timeZone: zoneOf(settings),
    fonts,
  });
  const left = await deliver(
    bytes,
    'Esketamine monitoring summary',
    'esketamine-monitoring-summary.pdf',
    'print',
  );
  if (!left) return;
  await store.audit('print', {
    recordKind: 'dose',
    recordId: dose.id,
    patientId: dose.patientId,
    detail: disclosureDetail('Esketamine monitoring summary', disclosure),
  });
}
