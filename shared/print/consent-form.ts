/**
 * One consent form on paper and the header identifiers of a patient's pages: shared by the signed
 * packet, the blank (wet signature) packet and batch printing.
 */
import { patientDisplayName } from '../model/patient';
import type { PatientBody } from '../model/patient';
import { formatCalendarDate } from './format';
import { MUTED, type PageFlow } from './layout';
import { parseFormText } from './text';

export type PrintPatient = Pick<
  PatientBody,
  'firstName' | 'lastName' | 'preferredName' | 'dateOfBirth' | 'chartNumber'
>;

/** Header lines that identify the patient on every page (name, date of birth, chart number). */
export function patientIdentity(patient: PrintPatient, third?: string): string[] {
  const chart = patient.chartNumber ? `  ·  Chart ${patient.chartNumber}` : '';
  const lines = [
    patientDisplayName(patient),
    `DOB ${formatCalendarDate(patient.dateOfBirth)}${chart}`,
  ];
  return third ? [...lines, third] : lines;
}

/** The name as a person writes it in a sentence ("I, Jane Roe, …"). */
export function patientFullName(patient: PrintPatient): string {
  return `${patient.firstName} ${patient.lastName}`.trim();
}

/** Title, a small line saying which version this is, and the form text. Starts a new page. */
export function drawFormText(flow: PageFlow, title: string, meta: string, text: string): void {
  flow.runningTitle = undefined;
  flow.newPage();
  flow.heading(title, 15);
  flow.runningTitle = `${title} (continued)`;
  flow.paragraph(meta, { size: 8.5, color: MUTED, after: 12 });
  for (const block of parseFormText(text)) {
    if (block.kind === 'heading') flow.heading(block.text, 11.5);
    else if (block.kind === 'bullets') flow.bullets(block.items);
    else flow.paragraph(block.text);
  }
}
