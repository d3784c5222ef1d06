/**
 * One consent form on paper and the header identifiers of a patient's pages: shared by the signed
 * packet, the blank (wet signature) packet and batch printing.
 */
import { patientDisplayName } from '../model/patient';
import type { PatientBody } from '../model/patient';
import { formatCalendarDate } from './format';
import { MUTED, type PageFlow } from './layout';
import { drawField, type FieldsOnPaper } from './form-fields';
import { parseFormText, type TextBlock } from './text';

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

/** The closing section worth keeping with the signatures: at most this tall (points). */
const KEEP_WITH_SIGNATURES = 240;

/**
 * Title, a small line saying which version this is, and the form text with its fields in place
 * (filled or blank). Starts a new page. `signaturesHeight`: room the signatures that follow need;
 * the form's closing section ("Agreement … I, Jane Roe, agree") is moved to the next page with
 * them rather than leaving the signatures alone on a page of their own.
 */
export function drawFormText(
  flow: PageFlow,
  title: string,
  meta: string,
  text: string,
  fields?: FieldsOnPaper,
  signaturesHeight = 0,
): void {
  flow.runningTitle = undefined;
  flow.newPage();
  flow.heading(title, 15);
  flow.runningTitle = `${title} (continued)`;
  flow.paragraph(meta, { size: 8.5, color: MUTED, after: 12 });
  const blocks = parseFormText(text);
  const lastHeading = blocks.map((b) => b.kind).lastIndexOf('heading');
  const closing = lastHeading === -1 ? blocks.length - 1 : lastHeading;
  const closingHeight = blocks.slice(closing).reduce((h, b) => h + blockHeight(flow, b), 0);
  blocks.forEach((block, i) => {
    if (i === closing && signaturesHeight > 0 && closingHeight <= KEEP_WITH_SIGNATURES)
      flow.ensure(closingHeight + signaturesHeight);
    if (block.kind === 'heading') flow.heading(block.text, 11.5);
    else if (block.kind === 'bullets') flow.bullets(block.items);
    else if (block.kind === 'field') drawField(flow, block.id, fields);
    else flow.paragraph(block.text);
  });
}

/** About how tall a block prints (the layout's own sizes): enough to keep a section together. */
function blockHeight(flow: PageFlow, block: TextBlock): number {
  const line = 10.5 * 1.42;
  switch (block.kind) {
    case 'heading':
      return flow.wrap(block.text, flow.width, 11.5, true).length * 15 + 7 + 45;
    case 'paragraph':
      return flow.wrap(block.text, flow.width, 10.5).length * line + 7.4;
    case 'bullets':
      return block.items.reduce(
        (h, item) => h + flow.wrap(item, flow.width - 16, 10.5).length * line + 2.6,
        5,
      );
    case 'field':
      return 40;
  }
}
