/**
 * The clinic's consent packets, through the record store (rules: shared/rules/consent-packets.ts).
 * Every screen and check that needs "which forms does this program require" asks `listPackets`,
 * so the signing screen, the chart's status, printing and the dosing check read the same packet.
 */
import { defaultConsentPackets } from '../../shared/consent-defaults';
import type { ConsentPacket, ConsentPacketBody } from '../../shared/model';
import { consentStatus, type ProgramConsentStatus } from '../../shared/rules/consent';
import {
  effectivePackets,
  latestPackets,
  newPacket,
  newPacketVersion,
  packetBodyFrom,
  type PacketEdit,
  type PacketLike,
} from '../../shared/rules/consent-packets';
import { can } from '../../shared/rules/permissions';
import type { RecordStore } from './record-store';

/**
 * The clinic's packets, newest version of each program (retired ones included, marked): stored
 * ones, or for a shipped program not stored yet, what its templates require (see the rules).
 */
export async function listPackets(store: RecordStore): Promise<PacketLike[]> {
  const [stored, templates] = await Promise.all([
    store.listKind('consent-packet'),
    store.listKind('consent-template'),
  ]);
  return effectivePackets(stored, templates, defaultConsentPackets());
}

/**
 * Store version 1 of each shipped program's packet the clinic has not stored yet, exactly as
 * listPackets derives it today (so storing changes no patient's status). Returns how many.
 */
export async function ensureDefaultPackets(store: RecordStore): Promise<number> {
  if (!can(store.roles, 'write', 'consent-packet')) return 0;
  const [stored, templates] = await Promise.all([
    store.listKind('consent-packet'),
    store.listKind('consent-template'),
  ]);
  if (templates.length === 0) return 0;
  const have = new Set(stored.map((p) => p.program));
  let added = 0;
  for (const p of effectivePackets(stored, templates, defaultConsentPackets())) {
    if (have.has(p.program) || p.forms.length === 0) continue;
    await store.create('consent-packet', packetBodyFrom(p));
    added++;
  }
  return added;
}

/** Every stored version of one program's packet, newest first. */
export async function packetVersions(
  store: RecordStore,
  program: string,
): Promise<ConsentPacket[]> {
  return (await store.listKind('consent-packet'))
    .filter((p) => p.program === program)
    .sort((a, b) => b.version - a.version);
}

/** A new program with its packet (version 1). */
export async function createPacket(
  store: RecordStore,
  input: Pick<ConsentPacketBody, 'name' | 'forms'>,
): Promise<ConsentPacket> {
  const [existing, templates] = await Promise.all([
    listPackets(store),
    store.listKind('consent-template'),
  ]);
  return store.create('consent-packet', newPacket(input, existing, templates));
}

/**
 * Save an edit (forms, order, required, name, retiring) as the next version. A shipped packet the
 * clinic never stored is stored first as version 1, so the history starts where the clinic did.
 */
export async function savePacketEdit(
  store: RecordStore,
  current: PacketLike,
  edit: PacketEdit,
): Promise<ConsentPacket> {
  await ensureDefaultPackets(store);
  const [versions, templates] = await Promise.all([
    packetVersions(store, current.program),
    store.listKind('consent-template'),
  ]);
  const base =
    current.version === undefined ? latestPackets(versions)[0] : (current as ConsentPacket);
  if (!base) throw new Error(`The packet "${current.name}" could not be found.`);
  return store.create('consent-packet', newPacketVersion(base, edit, versions, templates));
}

/** One patient's consent for one program at `at` (the dosing check asks this). */
export async function programConsent(
  store: RecordStore,
  patientId: string,
  program: string,
  at: Date,
): Promise<ProgramConsentStatus> {
  const [consents, templates, packets] = await Promise.all([
    store.listByPatient('signed-consent', patientId),
    store.listKind('consent-template'),
    listPackets(store),
  ]);
  return consentStatus({ consents, templates, packets, program, at });
}
