/**
 * The patient's take-home copy of an integration summary: plain words, the clinic's letterhead,
 * the patient's name and the session date. Clinician-only notes are never read here, so they
 * cannot reach paper.
 */
import type { IntegrationSummaryBody } from '../model/integration';
import { type PrintPatient, patientFullName, patientIdentity } from './consent-form';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatDay, formatInstant } from './format';
import { type Letterhead, MUTED, PageFlow } from './layout';

export type HandoutSummary = Omit<IntegrationSummaryBody, 'clinicianNotes' | 'patientId'>;

const PRACTICE_WORDS: Record<IntegrationSummaryBody['practices'][number], string> = {
  breathwork: 'Breathwork',
  meditation: 'Meditation',
  journaling: 'Journaling',
  movement: 'Gentle movement',
  nature: 'Time in nature',
  other: 'Other practices we talked about',
};

export async function buildIntegrationHandoutPdf(input: {
  clinic: Letterhead;
  patient: PrintPatient;
  summary: HandoutSummary;
  /** When the session being integrated took place. */
  sessionDate: string;
  fonts: PdfFontBytes;
  generatedAt: Date | string;
  timeZone?: string;
}): Promise<Uint8Array> {
  const tz = input.timeZone ?? 'UTC';
  const s = input.summary;
  const { doc, fonts } = await createPrintDocument({
    title: 'Integration summary',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const day = formatDay(input.sessionDate, tz);
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.clinic,
    identity: patientIdentity(input.patient, `Session of ${day}`),
    footer: `Your integration summary  ·  printed ${formatInstant(input.generatedAt, tz)}`,
  });
  flow.newPage();
  flow.heading('Your integration summary', 16);
  flow.paragraph(
    `For ${patientFullName(input.patient)}, after your session on ${day}. This is what we talked ` +
      'about together, to keep and come back to in the days ahead.',
    { color: MUTED, after: 12 },
  );
  const section = (title: string, text: string) => {
    if (text.trim() === '') return;
    flow.heading(title, 12);
    for (const para of text.trim().split(/\n\s*\n/)) flow.paragraph(para.replace(/\s*\n\s*/g, ' '));
  };
  section('What you noticed', s.insights);
  if (s.themes.length > 0) {
    flow.heading('Themes', 12);
    flow.bullets(s.themes);
  }
  section('Feelings', s.emotions);
  section('In your body', s.bodySensations);
  section('Your goals', s.goals);
  if (s.practices.length > 0) {
    flow.heading('Practices to keep up', 12);
    flow.bullets(s.practices.map((p) => PRACTICE_WORDS[p]));
  }
  section('Next steps', s.nextSteps);
  if (s.nextAppointment) {
    flow.heading('Your next appointment', 12);
    flow.paragraph(formatInstant(s.nextAppointment, tz), { bold: true });
  }
  flow.gap(8);
  flow.rule();
  flow.gap(6);
  const phone = input.clinic.clinicPhone?.trim();
  // 988 is the US Suicide & Crisis Lifeline (FCC 2020 designation); a handout after a
  // psychedelic-assisted session always says where to turn.
  flow.paragraph(
    `If you feel unsafe or in crisis, call or text 988 (Suicide & Crisis Lifeline) or call 911.` +
      (phone ? ` For questions about your care, call ${input.clinic.clinicName} at ${phone}.` : ''),
    { size: 9.5, color: MUTED },
  );
  flow.finish();
  return doc.save();
}
