import { z } from 'zod';
import { CalendarDate, nonEmpty, recordBase } from './common';

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .or(z.literal('').transform(() => undefined));

export const PatientBody = z.object({
  firstName: nonEmpty('First name').max(80),
  lastName: nonEmpty('Last name').max(80),
  preferredName: optionalText,
  dateOfBirth: CalendarDate.refine((d) => d <= new Date().toISOString().slice(0, 10), {
    message: 'Date of birth cannot be in the future',
  }).refine((d) => d >= '1900-01-01', { message: 'Date of birth is before 1900: check the year' }),
  sexAtBirth: z.enum(['female', 'male', 'intersex', 'unknown']).default('unknown'),
  pronouns: optionalText,
  phone: z
    .string()
    .trim()
    .regex(/^[+()0-9 .-]{7,20}$/, 'Phone number: digits, spaces, + ( ) - only')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  email: z
    .email('Email address is not valid')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  address: optionalText,
  emergencyContactName: optionalText,
  emergencyContactPhone: optionalText,
  /** Chart number the clinic uses on paper and labels. */
  chartNumber: optionalText,
  /** Allergies as the clinic records them ("Penicillin — rash", "No known allergies"). */
  allergies: z
    .string()
    .trim()
    .max(500)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Chart flags shown on the banner: fall risk, needs an escort, hard of hearing … */
  flags: z
    .string()
    .trim()
    .max(500)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  active: z.boolean().default(true),
});
export type PatientBody = z.infer<typeof PatientBody>;
export type PatientInput = z.input<typeof PatientBody>;

export const Patient = z.object({
  kind: z.literal('patient'),
  ...recordBase,
  ...PatientBody.shape,
});
export type Patient = z.infer<typeof Patient>;

export function patientDisplayName(p: Pick<Patient, 'firstName' | 'lastName' | 'preferredName'>) {
  const preferred =
    p.preferredName && p.preferredName !== p.firstName ? ` (${p.preferredName})` : '';
  return `${p.lastName}, ${p.firstName}${preferred}`;
}

/** Age in whole years on a given day. */
export function ageOn(dateOfBirth: string, on: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = on.getFullYear() - y;
  if (on.getMonth() + 1 < m || (on.getMonth() + 1 === m && on.getDate() < d)) age--;
  return age;
}
