/**
 * A signed session note on paper (for a chart request, an auditor, a supervisor's file): the
 * clinic's letterhead, the patient on every page, the visit, the note as signed, its addenda, and
 * every signature in words — the author's, and a supervisor's co-signature or return
 * (shared/rules/co-signature). Electronic signatures print as who, when and the content
 * fingerprint they vouch for (21 CFR 11.50: name, date and time, and meaning of a signature).
 */
import type { Addendum, SessionNote } from '../model/note';
import type { CoSignatureState } from '../rules/co-signature';
import { type PrintPatient, patientIdentity } from './consent-form';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatInstant, formatTime } from './format';
import { type Letterhead, MUTED, PageFlow } from './layout';

export type PrintNote = Pick<
  SessionNote,
  'title' | 'sections' | 'timeline' | 'status' | 'signature' | 'enteredInError' | 'createdAt'
>;

export async function buildNotePdf(input: {
  clinic: Letterhead;
  patient: PrintPatient;
  note: PrintNote;
  /** Section keys and labels in the template's order. */
  sections: { key: string; label: string }[];
  /** The visit in words, e.g. "Integration · Dec 7, 2026, 10:00 · 50 min · In office". */
  visit?: string;
  addenda: Pick<Addendum, 'text' | 'reason' | 'signature'>[];
  coSignature: CoSignatureState;
  /** Display names (with credentials) by user id, for co-signature lines. */
  names: Record<string, string>;
  fonts: PdfFontBytes;
  generatedAt: Date | string;
  timeZone?: string;
}): Promise<Uint8Array> {
  const tz = input.timeZone ?? 'UTC';
  const { note } = input;
  const { doc, fonts } = await createPrintDocument({
    title: note.title || 'Session note',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.clinic,
    identity: patientIdentity(input.patient, note.title || 'Session note'),
    footer: `Session note  ·  printed ${formatInstant(input.generatedAt, tz)}`,
  });
  flow.newPage();
  flow.heading(note.title || 'Session note', 16);
  if (input.visit) flow.paragraph(input.visit, { color: MUTED });
  flow.paragraph(`Written ${formatInstant(note.createdAt, tz)}`, { color: MUTED, after: 10 });
  if (note.status === 'entered-in-error' && note.enteredInError)
    flow.paragraph(
      `ENTERED IN ERROR ${formatInstant(note.enteredInError.at, tz)}: ${note.enteredInError.reason}. ` +
        'Kept in the record; not to be relied on.',
      { bold: true, after: 10 },
    );
  if (note.timeline.length > 0) {
    flow.heading('Live charting', 12);
    for (const t of note.timeline) flow.paragraph(`${formatTime(t.at, tz)} — ${t.text}`);
  }
  for (const s of input.sections) {
    flow.heading(s.label, 12);
    flow.paragraph(note.sections[s.key]?.trim() || '—');
  }
  for (const a of input.addenda) {
    flow.gap(6);
    flow.heading(`Addendum — ${a.reason}`, 11);
    flow.paragraph(a.text);
    if (a.signature)
      flow.paragraph(`Signed by ${a.signature.byName}, ${formatInstant(a.signature.at, tz)}`, {
        size: 9,
        color: MUTED,
      });
  }
  flow.gap(10);
  flow.rule();
  flow.gap(4);
  flow.heading('Signatures', 12);
  for (const line of signatureLines(input.note, input.coSignature, input.names, tz))
    flow.paragraph(line.text, {
      bold: line.bold,
      size: line.bold ? 10.5 : 9,
      color: line.bold ? undefined : MUTED,
    });
  flow.finish();
  return doc.save();
}

/** Every signature on the note in words: the author's, then the supervisor's. */
export function signatureLines(
  note: Pick<PrintNote, 'signature'>,
  co: CoSignatureState,
  names: Record<string, string>,
  tz: string,
): { text: string; bold?: boolean }[] {
  const out: { text: string; bold?: boolean }[] = [];
  if (!note.signature) return [{ text: 'Not signed (draft).', bold: true }];
  out.push({
    text: `Electronically signed by ${note.signature.byName}, ${formatInstant(note.signature.at, tz)}`,
    bold: true,
  });
  out.push({ text: `Content fingerprint ${note.signature.contentHash}` });
  if (co.state === 'not-asked') return out;
  const who = names[co.supervisorId] ?? 'the supervisor';
  if (co.state === 'co-signed') {
    const sig = co.answer.signature;
    out.push({
      text: `Co-signed by ${sig?.byName ?? who} (supervisor), ${formatInstant(sig?.at ?? co.answer.createdAt, tz)}`,
      bold: true,
    });
    if (co.answer.comment) out.push({ text: `Supervisor’s remark: ${co.answer.comment}` });
  } else if (co.state === 'returned')
    out.push({
      text: `Returned by ${who} (supervisor), ${formatInstant(co.answer.createdAt, tz)}: ${co.answer.comment}. Not yet co-signed.`,
      bold: true,
    });
  else
    out.push({
      text: `Co-signature requested from ${who} (supervisor); not yet co-signed.`,
      bold: true,
    });
  return out;
}
