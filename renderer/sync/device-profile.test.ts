import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../shared/crypto/envelope';
import { KatDatabase } from '../db/database';
import {
  checkComputerName,
  defaultComputerName,
  openDeviceProfile,
  sealDeviceProfile,
  shareDeviceProfile,
  writeComputerName,
} from './device-profile';

const CLINIC = '01936b8e-7c00-7000-8000-000000000001';
const LAPTOP = '01936b8e-7c00-7000-8000-0000000000aa';
const DESK = '01936b8e-7c00-7000-8000-0000000000bb';
const profile = { name: 'Dr Lee’s laptop', user: 'Dana Reyes', appVersion: '0.9.0' };

describe('a computer’s sealed profile', () => {
  it('opens with the key version it names, for the computer it was sealed for', async () => {
    const v1 = await generateDataKey();
    const v2 = await generateDataKey();
    const blob = await sealDeviceProfile(v2, 2, CLINIC, LAPTOP, profile);
    expect(blob).toMatch(/^p1\.2\./);
    expect(blob).not.toContain('Lee'); // the server keeps what it cannot read
    const keys = (v: number) => ({ 1: v1, 2: v2 })[v];
    expect(await openDeviceProfile(keys, CLINIC, LAPTOP, blob)).toEqual(profile);
    // The server shows the laptop's name against the desk computer: nothing opens.
    expect(await openDeviceProfile(keys, CLINIC, DESK, blob)).toBeUndefined();
    // A version this person does not hold, a damaged blob, none at all: unnamed, no error.
    expect(await openDeviceProfile((v) => (v === 1 ? v1 : undefined), CLINIC, LAPTOP, blob)).toBe(
      undefined,
    );
    expect(await openDeviceProfile(keys, CLINIC, LAPTOP, blob.slice(0, -6) + 'AAAAAA')).toBe(
      undefined,
    );
    expect(await openDeviceProfile(keys, CLINIC, LAPTOP, null)).toBeUndefined();
  });

  it('is sent again only when the name, the person, the version or the key changed', async () => {
    const db = new KatDatabase(`profile-${Date.now()}`);
    const key = await generateDataKey();
    const sent: string[] = [];
    const input = {
      clinicId: CLINIC,
      deviceId: LAPTOP,
      key,
      keyVersion: 1,
      user: 'Dana Reyes',
      appVersion: '0.9.0',
      fallbackName: 'Firefox on Windows',
    };
    const share = (over: Partial<typeof input> = {}) =>
      shareDeviceProfile(db, async (b) => sent.push(b), { ...input, ...over });
    expect(await share()).toBe(true);
    expect(await openDeviceProfile(() => key, CLINIC, LAPTOP, sent[0])).toMatchObject({
      name: 'Firefox on Windows',
    });
    expect(await share()).toBe(false);
    await writeComputerName(db, '  Front   desk ');
    expect(await share()).toBe(true);
    expect(await openDeviceProfile(() => key, CLINIC, LAPTOP, sent[1])).toMatchObject({
      name: 'Front desk',
    });
    expect(await share({ user: 'Sam Lee' })).toBe(true);
    expect(await share({ user: 'Sam Lee', keyVersion: 2 })).toBe(true);
    expect(await share({ user: 'Sam Lee', keyVersion: 2 })).toBe(false);
    expect(sent).toHaveLength(4);
    await db.delete();
  });
});

describe('the name a computer is offered', () => {
  it('is its own name on the desktop, the browser and system otherwise', () => {
    const firefoxWin =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const chromeMac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
    const ipad =
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
    expect(defaultComputerName('FRONT-DESK-PC', firefoxWin)).toBe('FRONT-DESK-PC');
    expect(defaultComputerName('danas-macbook.local', chromeMac)).toBe('danas-macbook');
    expect(defaultComputerName(undefined, firefoxWin)).toBe('Firefox on Windows');
    expect(defaultComputerName('localhost', chromeMac)).toBe('Chrome on Mac');
    expect(defaultComputerName(undefined, edge)).toBe('Edge on Windows');
    expect(defaultComputerName(undefined, ipad)).toBe('Safari on iPad');
    expect(defaultComputerName(undefined, '')).toBe('This computer');
  });

  it('a typed name is tidied, and an empty or overlong one is refused in words', () => {
    expect(checkComputerName('  Front \t desk ')).toEqual({ name: 'Front desk' });
    expect(checkComputerName('   ')).toMatchObject({
      error: expect.stringMatching(/Give this computer a name/),
    });
    expect(checkComputerName('x'.repeat(61))).toMatchObject({
      error: expect.stringMatching(/60 characters/),
    });
  });
});
