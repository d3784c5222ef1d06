import { z } from 'zod';
import { Addendum, SessionNote } from './note';
import { CoSignature } from './co-signature';
import { Appointment } from './appointment';
import { ClinicSettings, NoteTemplate } from './settings';
import { ConsentTemplate, SignedConsent } from './consent';
import { ConsentPacket } from './consent-packet';
import { DoseRecord } from './dose';
import { EligibilityEvaluation, HomePrescription } from './eligibility';
import { Encounter } from './encounter';
import { IntegrationSummary } from './integration';
import { InventoryLot, InventoryTransaction } from './inventory';
import { OutcomeMeasure } from './measure';
import { Patient } from './patient';
import { TreatmentPlan } from './treatment-plan';
import { User } from './user';
import type { RecordKind } from './common';

export * from './common';
export * from './patient';
export * from './user';
export * from './appointment';
export * from './encounter';
export * from './note';
export * from './co-signature';
export * from './dose';
export * from './eligibility';
export * from './integration';
export * from './measure';
export * from './consent';
export * from './consent-packet';
export * from './inventory';
export * from './settings';
export * from './audit';
export * from './treatment-plan';

/** Every stored record, discriminated by `kind`: the one parser for storage and the sync wire. */
export const AnyRecord = z.discriminatedUnion('kind', [
  Patient,
  User,
  Appointment,
  Encounter,
  SessionNote,
  Addendum,
  DoseRecord,
  EligibilityEvaluation,
  HomePrescription,
  TreatmentPlan,
  IntegrationSummary,
  OutcomeMeasure,
  ConsentTemplate,
  SignedConsent,
  ConsentPacket,
  InventoryLot,
  InventoryTransaction,
  NoteTemplate,
  ClinicSettings,
  CoSignature,
]);
export type AnyRecord = z.infer<typeof AnyRecord>;

export type RecordOfKind<K extends RecordKind> = Extract<AnyRecord, { kind: K }>;

export const SCHEMAS: { [K in RecordKind]: z.ZodType<RecordOfKind<K>> } = {
  patient: Patient,
  user: User,
  appointment: Appointment,
  encounter: Encounter,
  note: SessionNote,
  addendum: Addendum,
  dose: DoseRecord,
  eligibility: EligibilityEvaluation,
  'home-prescription': HomePrescription,
  'treatment-plan': TreatmentPlan,
  'integration-summary': IntegrationSummary,
  measure: OutcomeMeasure,
  'consent-template': ConsentTemplate,
  'signed-consent': SignedConsent,
  'consent-packet': ConsentPacket,
  'inventory-lot': InventoryLot,
  'inventory-transaction': InventoryTransaction,
  'note-template': NoteTemplate,
  'clinic-settings': ClinicSettings,
  'co-signature': CoSignature,
} as never;
