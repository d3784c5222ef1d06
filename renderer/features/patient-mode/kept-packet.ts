import type { CapturedSignature } from '../consent/SignatureField';

/**
 * What the patient gave for a packet in patient mode: the fields they filled and their own
 * signature on each form. Kept encrypted as a draft (useValueDraft) from the first stroke until
 * staff add their signatures and sign the packet (FinishPatientPacketScreen).
 */
export type KeptPacket = {
  program: string;
  templateKeys: string[];
  /** The exact versions the patient read and signed (fixed when they start), by template key. */
  templateIds: Record<string, string>;
  /** The form on screen, so a reload or lock returns to it. */
  step: number;
  fieldValues: Record<string, Record<string, string>>;
  /** The patient's signature, by form. */
  signatures: Record<string, CapturedSignature>;
};

export const keptPacketKey = (patientId: string, program: string) =>
  `patient-mode-packet:${patientId}:${program}`;

export const emptyKeptPacket = (program: string, templateKeys: string[]): KeptPacket => ({
  program,
  templateKeys,
  templateIds: {},
  step: 0,
  fieldValues: {},
  signatures: {},
});
