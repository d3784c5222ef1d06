import { describe, expect, it } from 'vitest';
import { formatJoinCode, looksLikeJoinCode, parseJoinCode } from './join-code';

describe('join code', () => {
  it('carries the server address and the enrollment code in one line, and back', () => {
    const line = formatJoinCode({ serverUrl: 'https://kat-server.lan/', code: 'ABCD-EFGH-JKMN' });
    expect(line).toBe('KAT-JOIN https://kat-server.lan ABCD-EFGH-JKMN');
    expect(parseJoinCode(line)).toEqual({
      serverUrl: 'https://kat-server.lan',
      code: 'ABCD-EFGH-JKMN',
    });
    expect(
      parseJoinCode(formatJoinCode({ serverUrl: 'https://10.0.0.5:8443', code: '0123-4567-89AB' })),
    ).toEqual({ serverUrl: 'https://10.0.0.5:8443', code: '0123-4567-89AB' });
  });

  it('forgives case, spacing, line breaks and missing dashes', () => {
    expect(parseJoinCode('  kat-join   https://Kat-Server.LAN:443\n abcdefghjkmn ')).toEqual({
      serverUrl: 'https://kat-server.lan',
      code: 'ABCD-EFGH-JKMN',
    });
  });

  it('returns nothing for anything else, so bad input changes nothing', () => {
    for (const text of [
      '',
      'ABCD-EFGH-JKMN',
      'https://kat-server.lan ABCD-EFGH-JKMN',
      'KAT-JOIN https://kat-server.lan',
      'KAT-JOIN https://kat-server.lan ABCD-EFGH-JKMN extra',
      'KAT-JOIN ftp://kat-server.lan ABCD-EFGH-JKMN',
      'KAT-JOIN javascript:alert(1) ABCD-EFGH-JKMN',
      'KAT-JOIN not-a-url ABCD-EFGH-JKMN',
      'KAT-JOIN https://kat-server.lan ABCD-EFGH-JKMU', // U is not in the alphabet
      'KAT-JOIN https://kat-server.lan ABCD-EFGH',
    ])
      expect(parseJoinCode(text), text).toBeUndefined();
    expect(looksLikeJoinCode(' kat-join https://x')).toBe(true);
    expect(looksLikeJoinCode('https://x')).toBe(false);
  });
});
