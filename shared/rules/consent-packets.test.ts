import { describe, expect, it } from 'vitest';
import type { TemplateLike } from './consent';
import {
  derivedPacket,
  effectivePackets,
  latestPackets,
  newPacket,
  newPacketVersion,
  programKeyFor,
  programName,
  type PacketLike,
} from './consent-packets';

const t = (templateKey: string, programs: string[], extra: Partial<TemplateLike> = {}) =>
  ({
    templateKey,
    version: 1,
    title: templateKey,
    validity: '12-months',
    programs,
    ...extra,
  }) as TemplateLike;
const TEMPLATES = [t('informed', ['iv']), t('npp', ['iv', 'tele']), t('recording', [])];
const SHIPPED = [
  {
    program: 'iv',
    name: 'IV',
    templateKeys: ['informed', 'npp'],
    optionalTemplateKeys: ['recording'],
  },
  { program: 'tele', name: 'Tele', templateKeys: ['npp'], optionalTemplateKeys: [] },
];

describe('packets derived for a clinic from before packets were records', () => {
  it('requires what the templates name, offers the rest of the shipped packet, shipped order first', () => {
    const withExtra = [...TEMPLATES, t('transport', ['iv']), { ...t('npp', ['tele']), version: 2 }];
    expect(derivedPacket(SHIPPED[0]!, withExtra).forms).toEqual([
      { templateKey: 'informed', required: true },
      { templateKey: 'npp', required: false }, // version 2 no longer names "iv"
      { templateKey: 'recording', required: false },
      { templateKey: 'transport', required: true },
    ]);
  });

  it('a stored packet replaces the derivation of its program only', () => {
    const stored: PacketLike[] = [
      {
        program: 'iv',
        name: 'IV ketamine',
        version: 2,
        forms: [{ templateKey: 'npp', required: true }],
      },
    ];
    const all = effectivePackets(stored, TEMPLATES, SHIPPED);
    expect(all.map((p) => [p.program, p.name, p.version])).toEqual([
      ['iv', 'IV ketamine', 2],
      ['tele', 'Tele', undefined],
    ]);
  });
});

describe('packet versions', () => {
  const v1 = {
    program: 'iv',
    version: 1,
    name: 'IV',
    forms: [{ templateKey: 'informed', required: true }],
    retired: false,
  };

  it('the newest version wins; equal versions from two computers resolve the same way everywhere', () => {
    const a = { ...v1, version: 3, id: 'a', name: 'A' };
    const b = { ...v1, version: 3, id: 'b', name: 'B' };
    expect(latestPackets([a, b, v1])[0]!.name).toBe('B');
    expect(latestPackets([b, a, v1])[0]!.name).toBe('B');
  });

  it('refuses a duplicate form, no form, and a form list that requires nothing', () => {
    const dup = [...v1.forms, { templateKey: 'informed', required: false }];
    expect(() => newPacketVersion(v1, { forms: dup }, [], TEMPLATES)).toThrow('listed twice');
    expect(() => newPacketVersion(v1, { forms: [] }, [], TEMPLATES)).toThrow('at least one form');
    expect(() =>
      newPacketVersion(
        v1,
        { forms: [{ templateKey: 'informed', required: false }] },
        [],
        TEMPLATES,
      ),
    ).toThrow('requires no form');
  });

  it('lets a packet be retired even if one of its forms was retired since', () => {
    const templates = [...TEMPLATES, { ...t('informed', ['iv']), version: 2, retired: true }];
    expect(() => newPacketVersion(v1, { name: 'IV (old)' }, [], templates)).toThrow('retired');
    expect(newPacketVersion(v1, { retired: true }, [], templates)).toMatchObject({
      version: 2,
      retired: true,
    });
  });

  it('names a new program from its packet name and refuses a name in use', () => {
    expect(programKeyFor('Spravato — maintenance (2026)')).toBe('spravato-maintenance-2026');
    expect(() => programKeyFor('—')).toThrow('at least two letters');
    const made = newPacket({ name: 'Booster', forms: v1.forms }, [v1], TEMPLATES);
    expect(made).toMatchObject({ program: 'booster', version: 1 });
    expect(() => newPacket({ name: 'iv', forms: v1.forms }, [v1], TEMPLATES)).toThrow(
      'already a packet called "IV"',
    );
  });

  it('prints the program name people read, and the key only for an unknown program', () => {
    expect(programName([v1], 'iv')).toBe('IV');
    expect(programName([v1], 'old-program')).toBe('old-program');
    expect(programName([v1], undefined)).toBe('No program');
  });
});
