import { z } from 'zod';
import { nonEmpty, recordBase } from './common';

/** A program's key, e.g. "in-office-iv": appointments and signed consents name it. */
export const ProgramKey = z
  .string()
  .regex(/^[a-z0-9-]{2,60}$/, 'Program key: 2–60 lowercase letters, digits or dashes');

export const PacketForm = z.object({
  templateKey: z.string().regex(/^[a-z0-9-]{3,60}$/),
  /** Required forms make the program's consent current; the others are offered, never block care. */
  required: z.boolean(),
});
export type PacketForm = z.infer<typeof PacketForm>;

/**
 * One version of a program's consent packet: the forms, in the order they are signed and printed,
 * and which of them the program requires. It is the one place requirements come from: consent
 * status, the dosing check, the signing screen and printing all read it. Editing makes a new record
 * with version + 1 and the same program (as consent templates do); retiring is a version too.
 */
export const ConsentPacketBody = z.object({
  program: ProgramKey,
  version: z.number().int().positive(),
  /** The program's name as people read it: "In-office IV ketamine". */
  name: nonEmpty('Packet name').max(120),
  forms: z
    .array(PacketForm)
    .min(1, 'A packet needs at least one form')
    .max(40)
    .refine(
      (forms) => new Set(forms.map((f) => f.templateKey)).size === forms.length,
      'A form is listed twice in this packet',
    ),
  retired: z.boolean().default(false),
});
export type ConsentPacketBody = z.infer<typeof ConsentPacketBody>;

export const ConsentPacket = z.object({
  kind: z.literal('consent-packet'),
  ...recordBase,
  ...ConsentPacketBody.shape,
});
export type ConsentPacket = z.infer<typeof ConsentPacket>;
