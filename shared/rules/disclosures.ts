/**
 * Disclosures: who a printout or export of a patient's records went to, and why (issue 18 point 3).
 *
 * Every print and export asks its recipient and purpose, and the answer is kept in the audit
 * event's detail (encrypted at rest like every detail). From those events a clinic prints the
 * patient's **accounting of disclosures** (HIPAA 45 CFR 164.528): for each disclosure the date, the
 * recipient's name, a brief description of what was disclosed and the purpose (164.528(b)(2)),
 * over up to six years before the request (164.528(a)(1)).
 *
 * 164.528(a)(1)(i)–(iii) exempt disclosures to carry out treatment, payment or health care
 * operations, disclosures to the individual, and those made under the individual's authorization:
 * they are listed apart in the report, as released but not owed in the accounting.
 */
import { z } from 'zod';

export const RECIPIENTS = {
  clinic: 'Stays in the clinic (our own use)',
  patient: 'The patient or their personal representative',
  provider: 'Another health-care provider',
  payer: 'An insurer or other payer',
  legal: 'A court, attorney or law enforcement',
  agency: 'A regulator or public-health agency',
  other: 'Someone else',
} as const;
export type Recipient = keyof typeof RECIPIENTS;

export const PURPOSES = {
  treatment: 'Treatment',
  payment: 'Payment',
  operations: 'Health care operations',
  authorized: 'The patient’s request or written authorization',
  law: 'Required by law (subpoena, court order)',
  oversight: 'Health oversight or public health (DEA, FDA REMS, state board)',
  other: 'Another purpose',
} as const;
export type Purpose = keyof typeof PURPOSES;

const keys = <T extends object>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** What the person answers before a printout or export leaves the app. */
export const DisclosureInput = z
  .object({
    to: z.enum(keys(RECIPIENTS), { error: 'Choose who this goes to.' }),
    name: z.string().trim().max(120, 'Keep the recipient’s name under 120 characters.'),
    purpose: z.enum(keys(PURPOSES), { error: 'Choose what it is for.' }),
    note: z.string().trim().max(300, 'Keep the note under 300 characters.'),
  })
  .superRefine((d, ctx) => {
    if (d.to !== 'clinic' && d.to !== 'patient' && d.name.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'Write the name of the person or organisation it goes to.',
      });
    if (d.purpose === 'other' && d.note.length < 3)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say what it is for.' });
  });
export type Disclosure = z.infer<typeof DisclosureInput>;

/** What the dialog starts from: most printouts stay in the clinic (a packet to sign today). */
export const STAYS_IN_CLINIC: Disclosure = {
  to: 'clinic',
  name: '',
  purpose: 'operations',
  note: '',
};

/** The purposes a recipient usually comes with, so one choice fills the other. */
export const USUAL_PURPOSE: Record<Recipient, Purpose> = {
  clinic: 'operations',
  patient: 'authorized',
  provider: 'treatment',
  payer: 'payment',
  legal: 'law',
  agency: 'oversight',
  other: 'other',
};

const MARK = 'disclosure/1 ';

/**
 * The audit detail for a printout or export: what it was, and the answer, readable back. A
 * clinic-wide printout (the controlled-substance log, the audit log) names many patients; when it
 * leaves the clinic, `patients` keeps which, so each one's accounting lists it (164.528(b)(2):
 * every disclosure of the individual's information, whatever document carried it).
 */
export function disclosureDetail(
  what: string,
  d: Disclosure,
  patients: readonly string[] = [],
): string {
  const clean = DisclosureInput.parse(d);
  const named = clean.to === 'clinic' ? [] : [...new Set(patients.filter(Boolean))].sort();
  return `${MARK}${JSON.stringify({ what, ...clean, ...(named.length && { patients: named }) })}`;
}

export type DisclosureDetail = Disclosure & {
  what: string;
  /** Patients a clinic-wide printout names (absent for one patient's own records). */
  patients?: string[];
};

/** The disclosure kept in an audit detail, or nothing for details written another way. */
export function readDisclosure(detail: string): DisclosureDetail | undefined {
  if (!detail.startsWith(MARK)) return undefined;
  try {
    const raw = JSON.parse(detail.slice(MARK.length)) as { what?: unknown; patients?: unknown };
    const parsed = DisclosureInput.safeParse(raw);
    if (!parsed.success || typeof raw.what !== 'string') return undefined;
    const patients =
      Array.isArray(raw.patients) && raw.patients.every((p) => typeof p === 'string')
        ? (raw.patients as string[])
        : undefined;
    return { what: raw.what, ...parsed.data, ...(patients && { patients }) };
  } catch {
    return undefined;
  }
}

/** "to Dr. Lee (Another health-care provider), for Treatment: referral". */
export function disclosureWords(d: Disclosure): string {
  if (d.to === 'clinic') return 'kept in the clinic';
  const who = d.name ? `${d.name} (${RECIPIENTS[d.to]})` : RECIPIENTS[d.to];
  return `to ${who}, for ${PURPOSES[d.purpose]}${d.note ? `: ${d.note}` : ''}`;
}

/** An audit detail as words: a disclosure spelled out, anything else as written. */
export function auditDetailWords(detail: string): string {
  const d = readDisclosure(detail);
  return d ? `${d.what}, ${disclosureWords(d)}` : detail;
}

/**
 * Whether the accounting owes this disclosure (164.528(a)(1)): not when it stayed in the clinic,
 * went to the patient, or was for treatment, payment, operations or under their authorization.
 */
export function owedInAccounting(d: Disclosure): boolean {
  if (d.to === 'clinic' || d.to === 'patient') return false;
  return !['treatment', 'payment', 'operations', 'authorized'].includes(d.purpose);
}

/** Why a released copy is not in the accounting proper, in the rule's words. */
export function exemptionWords(d: Disclosure): string {
  if (d.to === 'patient') return 'To the patient (164.528(a)(1)(ii))';
  if (d.purpose === 'authorized') return 'Under the patient’s authorization (164.528(a)(1)(iv))';
  return 'Treatment, payment or operations (164.528(a)(1)(i))';
}

export type DisclosureLine = Disclosure & {
  id: string;
  at: string;
  what: string;
  by: string;
  action: 'print' | 'export';
};

/** The accounting in two parts: owed (164.528), and released but exempt; each newest first. */
export function accountingOf(lines: readonly DisclosureLine[]): {
  owed: DisclosureLine[];
  exempt: DisclosureLine[];
} {
  const left = lines.filter((l) => l.to !== 'clinic');
  const newestFirst = (a: DisclosureLine, b: DisclosureLine) =>
    a.at < b.at ? 1 : a.at > b.at ? -1 : 0;
  return {
    owed: left.filter(owedInAccounting).sort(newestFirst),
    exempt: left.filter((l) => !owedInAccounting(l)).sort(newestFirst),
  };
}

/** The accounting covers up to six years before the request (164.528(a)(1)). */
export const ACCOUNTING_YEARS = 6;
