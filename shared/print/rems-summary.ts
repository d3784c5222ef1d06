/**
 * A monitoring summary of one esketamine session with the facts the Spravato REMS Patient
 * Monitoring Form asks for (patient, date, dose, blood pressure before the dose, at ~40 minutes and
 * before the end of monitoring, total monitoring time, sedation and dissociation, serious adverse
 * events, time the patient was ready to leave), for the clinic to transcribe or attach. It is not
 * the REMS form itself.
 */
import type { DoseRecord, VitalSigns } from '../model/dose';
import { POST_DOSE_CHECK_MINUTES, baselineReading, doseGivenAt } from '../rules/dosing/vitals';
import { createPrintDocument } from './document';
import type { PdfFontBytes } from './fonts';
import { formatCalendarDate, formatInstant } from './format';
import { MUTED, PageFlow, type Letterhead } from './layout';
import { patientIdentity, type PrintPatient } from './consent-form';
import { drawKeyValues, drawTable } from './tables';

export type RemsSummaryInput = {
  letterhead: Letterhead;
  patient: PrintPatient;
  dose: DoseRecord;
  names: Readonly<Record<string, string>>;
  generatedAt: Date | string;
  timeZone?: string;
  fonts: PdfFontBytes;
};

const bp = (v?: VitalSigns) =>
  v ? `${v.systolic}/${v.diastolic} mmHg, HR ${v.heartRate}` : 'not recorded';

/** The readings the form asks for, picked from the session's series. */
export function remsReadings(dose: DoseRecord) {
  const given = doseGivenAt(dose);
  const t = (v: VitalSigns) => Date.parse(v.at);
  const after = given ? dose.vitals.filter((v) => t(v) > Date.parse(given)) : [];
  const target = given ? Date.parse(given) + POST_DOSE_CHECK_MINUTES * 60_000 : 0;
  const near40 = after
    .filter((v) => v.label !== 'pre-discharge')
    .sort((a, b) => Math.abs(t(a) - target) - Math.abs(t(b) - target))[0];
  const at40 = after.find((v) => v.label === 'post-dose-40') ?? near40;
  const latest = [...after].sort((a, b) => t(b) - t(a))[0];
  const beforeEnd =
    [...after].reverse().find((v) => v.label === 'pre-discharge') ??
    (latest !== at40 ? latest : undefined);
  const minutes =
    given && dose.discharge
      ? Math.round((Date.parse(dose.discharge.at) - Date.parse(given)) / 60_000)
      : undefined;
  const moaas = dose.observations.map((o) => o.moaas).filter((x): x is number => x !== undefined);
  const cadss = dose.observations.map((o) => o.cadss).filter((x): x is number => x !== undefined);
  return {
    given,
    before: baselineReading(dose.vitals, given),
    at40,
    beforeEnd,
    minutes,
    deepestMoaas: moaas.length ? Math.min(...moaas) : undefined,
    highestCadss: cadss.length ? Math.max(...cadss) : undefined,
    serious: dose.adverseEvents.filter((a) => a.serious),
  };
}

export async function buildRemsSummaryPdf(input: RemsSummaryInput): Promise<Uint8Array> {
  const { dose, names } = input;
  const tz = input.timeZone ?? 'UTC';
  const r = remsReadings(dose);
  const { doc, fonts } = await createPrintDocument({
    title: 'Esketamine monitoring summary',
    fonts: input.fonts,
    generatedAt: input.generatedAt,
  });
  const flow = new PageFlow(doc, fonts, {
    letterhead: input.letterhead,
    identity: patientIdentity(input.patient, 'Esketamine monitoring summary'),
    footer: `Esketamine monitoring summary · printed ${formatInstant(input.generatedAt, tz)}`,
  });
  flow.heading('Esketamine session monitoring summary', 15);
  flow.paragraph(
    'The facts the Spravato REMS Patient Monitoring Form asks for, taken from the signed dose ' +
      'record. Transcribe them into the REMS form or attach this page.',
    { size: 8.5, color: MUTED, after: 10 },
  );
  const time = (iso?: string) => (iso ? formatInstant(iso, tz) : 'not recorded');
  drawKeyValues(
    flow,
    [
      [
        'Session date',
        r.given ? formatInstant(r.given, tz).split(',').slice(0, 2).join(',') : 'not recorded',
      ],
      ['Dose', `${dose.doseMg} mg esketamine nasal spray (${dose.doseMg / 28} devices)`],
      [
        'Lot',
        dose.lotNumber
          ? `${dose.lotNumber}${dose.lotExpiry ? `, expires ${formatCalendarDate(dose.lotExpiry)}` : ''}`
          : 'not recorded',
      ],
      ['Dose given at', time(r.given)],
      ['BP before dose', bp(r.before)],
      ['BP ~40 min after', r.at40 ? `${bp(r.at40)} at ${time(r.at40.at)}` : 'not recorded'],
      [
        'BP before end',
        r.beforeEnd ? `${bp(r.beforeEnd)} at ${time(r.beforeEnd.at)}` : 'not recorded',
      ],
      [
        'Monitoring time',
        r.minutes === undefined ? 'discharge not recorded' : `${r.minutes} minutes`,
      ],
      [
        'Sedation',
        r.deepestMoaas === undefined
          ? 'no MOAA/S recorded'
          : `deepest MOAA/S ${r.deepestMoaas} (5 = fully awake)`,
      ],
      [
        'Dissociation',
        r.highestCadss === undefined ? 'no CADSS recorded' : `highest CADSS ${r.highestCadss}`,
      ],
      [
        'Serious adverse events',
        r.serious.length
          ? r.serious
              .map((a) => `${a.kind} (${a.severity})${a.intervention ? `: ${a.intervention}` : ''}`)
              .join('; ')
          : 'None',
      ],
      ['Ready to leave', dose.discharge ? time(dose.discharge.at) : 'not recorded'],
      [
        'Escort / transport',
        [dose.discharge?.escortName, dose.discharge?.transport].filter(Boolean).join(', ') ||
          'not recorded',
      ],
      ['Prescriber', names[dose.prescriberId] ?? 'unknown'],
      ['Administered by', names[dose.administeredBy] ?? 'unknown'],
      [
        'Record status',
        dose.signature
          ? `Signed by ${dose.signature.byName}, ${formatInstant(dose.signature.at, tz)}`
          : 'DRAFT — not signed',
      ],
    ],
    { labelWidth: 140 },
  );
  if (dose.vitals.length) {
    flow.heading('All vital signs', 11.5);
    drawTable(
      flow,
      [
        { header: 'Time', width: 0.34 },
        { header: 'BP', width: 0.18 },
        { header: 'HR', width: 0.12 },
        { header: 'SpO2', width: 0.12 },
        { header: 'RR', width: 0.12 },
      ],
      [...dose.vitals]
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((v) => [
          time(v.at),
          `${v.systolic}/${v.diastolic}`,
          String(v.heartRate),
          v.spo2 ? `${v.spo2}%` : '—',
          v.respiratoryRate ? String(v.respiratoryRate) : '—',
        ]),
    );
  }
  flow.finish();
  return doc.save();
}
