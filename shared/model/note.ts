import { z } from 'zod';
import { Instant, RecordId, RecordKind, nonEmpty, recordBase } from './common';

/** A timestamped line charted live during a dosing session ("14:05 — tearful, …"). */
export const TimedEntry = z.object({
  id: z.string().min(1),
  at: Instant,
  text: z.string().max(4000),
  tags: z.array(z.string().max(40)).default([]),
});
export type TimedEntry = z.infer<typeof TimedEntry>;

export const NoteBody = z.object({
  patientId: RecordId,
  encounterId: RecordId.optional(),
  /** Template the note was started from (id of a note-template record or a bundled template). */
  templateId: z.string().max(80),
  title: z.string().trim().max(200),
  /** Section key → text, as laid out by the template. */
  sections: z.record(z.string(), z.string().max(100_000)).default({}),
  timeline: z.array(TimedEntry).default([]),
  /** Set when two devices edited the same draft concurrently: the other version's record id. */
  conflictWith: RecordId.optional(),
  /** Started from an earlier signed note of this patient ("copy forward"): that note's id. */
  copiedFrom: RecordId.optional(),
});
export type NoteBody = z.infer<typeof NoteBody>;

export const SessionNote = z.object({ kind: z.literal('note'), ...recordBase, ...NoteBody.shape });
export type SessionNote = z.infer<typeof SessionNote>;

/** A correction after signing. It is its own signed record, linked to the original. */
export const AddendumBody = z.object({
  patientId: RecordId,
  targetId: RecordId,
  targetKind: RecordKind,
  text: nonEmpty('Addendum text').max(20_000),
  reason: nonEmpty('Reason').max(500),
  writtenAt: Instant,
});
export type AddendumBody = z.infer<typeof AddendumBody>;

export const Addendum = z.object({
  kind: z.literal('addendum'),
  ...recordBase,
  ...AddendumBody.shape,
});
export type Addendum = z.infer<typeof Addendum>;
