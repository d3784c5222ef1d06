/**
 * Consent packets as the clinic keeps them: which forms each program's packet holds, in which
 * order, and which of them the program requires. This is the ONE place requirements come from
 * (issue 17): consent status, the dosing check, the signing screen and printing all read the same
 * packet, so a packet and the status it drives cannot disagree.
 *
 * Packets are versioned like templates (each edit a new record, version + 1, same program).
 * Clinics from before packets were records kept requirements on each template (`programs`); until a
 * practice manager stores the packets, `effectivePackets` derives them from exactly that, and
 * `ensureDefaultPackets` stores the same derivation as version 1, so nothing changes on upgrade.
 */
import type { ConsentPacketBody, PacketForm } from '../model/consent-packet';
import { ConsentPacketBody as PacketSchema } from '../model/consent-packet';
import { latestTemplates, type TemplateLike } from './consent';
import { RuleError } from './errors';

/** The shipped packet list (resources/consent-templates/packets.json). */
export type ShippedPacket = {
  program: string;
  name: string;
  templateKeys: string[];
  optionalTemplateKeys: string[];
};

export type PacketLike = Pick<ConsentPacketBody, 'program' | 'name' | 'forms'> & {
  version?: number;
  retired?: boolean;
  id?: string;
};

/** The newest version of each program's packet (ties: the larger record id, so every computer agrees). */
export function latestPackets<P extends PacketLike>(packets: readonly P[]): P[] {
  const byProgram = new Map<string, P>();
  for (const p of packets) {
    const seen = byProgram.get(p.program);
    if (
      !seen ||
      (p.version ?? 0) > (seen.version ?? 0) ||
      ((p.version ?? 0) === (seen.version ?? 0) && (p.id ?? '') > (seen.id ?? ''))
    )
      byProgram.set(p.program, p);
  }
  return [...byProgram.values()];
}

/**
 * A shipped program's packet as the templates define it (clinics from before packets were records):
 * required = the newest live templates naming the program, exactly what consent status used;
 * every other form of the shipped packet is offered as optional. Shipped order first.
 */
export function derivedPacket(
  shipped: ShippedPacket,
  templates: readonly TemplateLike[],
): PacketLike {
  const live = latestTemplates(templates).filter((t) => !t.retired);
  const requiredKeys = new Set(
    live.filter((t) => t.programs.includes(shipped.program)).map((t) => t.templateKey),
  );
  const extra = live
    .filter((t) => requiredKeys.has(t.templateKey))
    .map((t) => t.templateKey)
    .filter((k) => ![...shipped.templateKeys, ...shipped.optionalTemplateKeys].includes(k))
    .sort();
  const keys = [...new Set([...shipped.templateKeys, ...shipped.optionalTemplateKeys, ...extra])];
  return {
    program: shipped.program,
    name: shipped.name,
    forms: keys.map((templateKey) => ({ templateKey, required: requiredKeys.has(templateKey) })),
  };
}

/**
 * The clinic's packets, newest version of each program: stored ones, and for a shipped program
 * the clinic has not stored yet, the derivation above. Retired packets are included (their names
 * still label old appointments and consents); `livePackets` leaves them out.
 */
export function effectivePackets<P extends PacketLike>(
  stored: readonly P[],
  templates: readonly TemplateLike[],
  shipped: readonly ShippedPacket[],
): (P | PacketLike)[] {
  const latest = latestPackets(stored);
  const missing = shipped
    .filter((s) => !latest.some((p) => p.program === s.program))
    .map((s) => derivedPacket(s, templates));
  const order = (p: PacketLike) => {
    const i = shipped.findIndex((s) => s.program === p.program);
    return i === -1 ? shipped.length : i;
  };
  return [...latest, ...missing].sort(
    (a, b) => order(a) - order(b) || a.name.localeCompare(b.name),
  );
}

export const livePackets = <P extends PacketLike>(packets: readonly P[]) =>
  packets.filter((p) => !p.retired);

/** The live packet of a program, if the clinic offers it. */
export function packetFor<P extends PacketLike>(
  packets: readonly P[],
  program: string | undefined,
): P | undefined {
  return program
    ? latestPackets(packets).find((p) => p.program === program && !p.retired)
    : undefined;
}

/** "In-office IV ketamine" for "in-office-iv"; the key itself only for a program no packet names. */
export function programName(packets: readonly PacketLike[], program: string | undefined): string {
  if (!program) return 'No program';
  return latestPackets(packets).find((p) => p.program === program)?.name ?? program;
}

/**
 * The templates of a packet, newest versions, in packet order: required, then optional. A key
 * with no live (newest, not retired) template is reported, not dropped silently.
 */
export function packetTemplates<T extends TemplateLike>(
  packet: Pick<PacketLike, 'forms'>,
  templates: readonly T[],
): { required: T[]; optional: T[]; unknownKeys: string[] } {
  const newest = latestTemplates(templates);
  const unknownKeys: string[] = [];
  const pick = (forms: readonly PacketForm[]) =>
    forms.flatMap((f) => {
      const t = newest.find((x) => x.templateKey === f.templateKey && !x.retired);
      if (!t) unknownKeys.push(f.templateKey);
      return t ? [t] : [];
    });
  return {
    required: pick(packet.forms.filter((f) => f.required)),
    optional: pick(packet.forms.filter((f) => !f.required)),
    unknownKeys,
  };
}

/** What a program requires: the newest live templates its live packet marks required. */
export function requiredForProgram<T extends TemplateLike>(
  packets: readonly PacketLike[],
  templates: readonly T[],
  program: string,
): T[] {
  const packet = packetFor(packets, program);
  return packet ? packetTemplates(packet, templates).required : [];
}

export type PacketEdit = Partial<Pick<ConsentPacketBody, 'name' | 'forms' | 'retired'>>;

function parsePacket(body: unknown, templates: readonly TemplateLike[]): ConsentPacketBody {
  const parsed = PacketSchema.safeParse(body);
  if (!parsed.success)
    throw new RuleError(
      'packet.invalid',
      `This packet cannot be saved: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
    );
  const packet = parsed.data;
  const live = latestTemplates(templates).filter((t) => !t.retired);
  // A retired packet may keep forms retired since; a live one offers only forms that exist.
  const unknown = packet.retired
    ? []
    : packet.forms.filter((f) => !live.some((t) => t.templateKey === f.templateKey));
  if (unknown.length > 0)
    throw new RuleError(
      'packet.unknown-form',
      `"${packet.name}" lists forms this clinic does not have (or has retired): ` +
        `${unknown.map((f) => f.templateKey).join(', ')}. Remove them from the packet.`,
    );
  if (!packet.retired && !packet.forms.some((f) => f.required))
    throw new RuleError(
      'packet.nothing-required',
      `"${packet.name}" requires no form, so no patient could ever have a current consent for ` +
        'it. Mark at least one form as required.',
    );
  return packet;
}

/**
 * A new program and its packet (version 1). The program key comes from the name; a name already
 * used by another packet, live or retired, is refused so the chart never shows two alike.
 */
export function newPacket(
  input: Pick<ConsentPacketBody, 'name' | 'forms'>,
  existing: readonly PacketLike[],
  templates: readonly TemplateLike[],
): ConsentPacketBody {
  const name = input.name.trim();
  const program = programKeyFor(name);
  const clash = latestPackets(existing).find(
    (p) => p.program === program || p.name.trim().toLowerCase() === name.toLowerCase(),
  );
  if (clash)
    throw new RuleError(
      'packet.exists',
      `There is already a packet called "${clash.name}"${clash.retired ? ' (retired)' : ''}. ` +
        'Open it and edit it, or choose another name.',
    );
  return parsePacket({ program, version: 1, name, forms: input.forms, retired: false }, templates);
}

/**
 * The next version of a packet after an edit. Editing anything but the newest version is refused,
 * so two people editing at once cannot both publish "version 3".
 */
export function newPacketVersion(
  current: ConsentPacketBody,
  edit: PacketEdit,
  versions: readonly Pick<ConsentPacketBody, 'program' | 'version'>[],
  templates: readonly TemplateLike[],
): ConsentPacketBody {
  const newest = Math.max(
    current.version,
    ...versions.filter((v) => v.program === current.program).map((v) => v.version),
  );
  if (newest > current.version)
    throw new RuleError(
      'packet.stale-version',
      `Version ${newest} of "${current.name}" was saved after the version you edited. ` +
        'Open the newest version and make your change there.',
    );
  const next = parsePacket(
    { ...current, ...edit, program: current.program, version: current.version + 1 },
    templates,
  );
  const same = (k: keyof PacketEdit) => JSON.stringify(next[k]) === JSON.stringify(current[k]);
  if ((['name', 'forms', 'retired'] as const).every(same))
    throw new RuleError('packet.no-change', 'Nothing was changed, so no new version was made.');
  return next;
}

/** "Spravato maintenance" → "spravato-maintenance". */
export function programKeyFor(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '');
  if (key.length < 2)
    throw new RuleError(
      'packet.name',
      'Give the packet a name of at least two letters or digits, e.g. "Esketamine maintenance".',
    );
  return key;
}

/** The shipped packet as a record body (version 1), for seeding. */
export function packetBodyFrom(packet: PacketLike): ConsentPacketBody {
  return PacketSchema.parse({
    program: packet.program,
    version: 1,
    name: packet.name,
    forms: packet.forms,
    retired: false,
  });
}
