/**
 * A computer's profile — its name, who last signed in on it, the app version — so an administrator
 * can tell the front-desk PC from the lost laptop in Settings → Clinic server (issue 19 point 7).
 *
 * The name is asked when the computer joins (default: the computer's own name on the desktop, the
 * browser and system in browser mode) and kept here in `meta['computer-name']`. Each sync round
 * sends the profile when it changed, sealed under the active clinic key version
 * (PUT /v1/devices/me/profile): the server keeps a string it cannot read, so a name like
 * "Dr Smith's laptop" never sits there in the clear. The associated data binds the sealed profile
 * to the clinic and to this computer's server id, so the server cannot show one computer's name
 * against another. Format: `p1.<key version>.<base64 of iv ‖ ciphertext>`.
 */
import { z } from 'zod';
import { importAesKey, open, packSealed, seal, unpackSealed } from '../../shared/crypto/envelope';
import {
  type Identity,
  exportIdentityPublic,
  importIdentityPublic,
} from '../../shared/crypto/keyring';
import { LIMITS } from '../../shared/sync/protocol';
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from '../../shared/util/bytes';
import type { KatDatabase } from '../db/database';

export const MAX_COMPUTER_NAME = 60;

export const DeviceProfile = z.object({
  name: z.string().min(1).max(MAX_COMPUTER_NAME),
  /** Display name of the person who last signed in on it. */
  user: z.string().max(120).optional(),
  appVersion: z.string().max(40),
});
export type DeviceProfile = z.infer<typeof DeviceProfile>;

const aad = (clinicId: string, deviceId: string) => `kat:device-profile:v1|${clinicId}|${deviceId}`;

export async function sealDeviceProfile(
  key: CryptoKey,
  keyVersion: number,
  clinicId: string,
  deviceId: string,
  profile: DeviceProfile,
): Promise<string> {
  const sealed = await seal(
    key,
    utf8(JSON.stringify(DeviceProfile.parse(profile))),
    aad(clinicId, deviceId),
  );
  const blob = `p1.${keyVersion}.${toBase64(packSealed(sealed))}`;
  if (blob.length > LIMITS.maxDeviceProfileChars) throw new Error('Computer profile too large');
  return blob;
}

/**
 * The profile, or undefined when it cannot be read here: sealed under a version this person does
 * not hold, damaged, or sealed for another computer (the list then shows the computer unnamed).
 */
export async function openDeviceProfile(
  keyFor: (version: number) => CryptoKey | undefined,
  clinicId: string,
  deviceId: string,
  blob: string | null | undefined,
): Promise<DeviceProfile | undefined> {
  const m = blob?.match(/^p1\.(\d+)\.([A-Za-z0-9+/=]+)$/);
  const key = m && keyFor(Number(m[1]));
  if (!m || !key) return undefined;
  try {
    const bytes = await open(key, unpackSealed(fromBase64(m[2]!)), aad(clinicId, deviceId));
    const parsed = DeviceProfile.safeParse(JSON.parse(fromUtf8(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a typed name would be stored as, or the words to show when it cannot be used. */
export function checkComputerName(typed: string): { name: string } | { error: string } {
  const name = typed.trim().replace(/\s+/g, ' ');
  if (!name) return { error: 'Give this computer a name, e.g. “Front desk” or “Dr Lee’s laptop”.' };
  if (name.length > MAX_COMPUTER_NAME)
    return { error: `Keep the name to ${MAX_COMPUTER_NAME} characters or fewer.` };
  return { name };
}

const SYSTEMS: [RegExp, string][] = [
  [/iPad/, 'iPad'],
  [/iPhone/, 'iPhone'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'Mac'],
  [/Linux/, 'Linux'],
];
const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

/**
 * The name a computer is offered when it joins: its own name on the desktop (the host name the
 * shell reports), "Firefox on Windows" and the like in a browser, which cannot know it.
 */
export function defaultComputerName(hostName: string | undefined, userAgent: string): string {
  const host = hostName?.trim().replace(/\.(local|lan|home|localdomain)$/i, '');
  if (host && host !== 'localhost') return host.slice(0, MAX_COMPUTER_NAME);
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'This computer';
}

const NAME = 'computer-name';
const SENT = 'device-profile-sent';

export async function readComputerName(db: KatDatabase): Promise<string | undefined> {
  return (await db.meta.get(NAME))?.value as string | undefined;
}

export async function writeComputerName(db: KatDatabase, name: string) {
  const checked = checkComputerName(name);
  if ('error' in checked) throw new Error(checked.error);
  await db.meta.put({ key: NAME, value: checked.name });
}

/**
 * Sends this computer's profile when it differs from the one last sent (a new name, another
 * person signed in, an update, a new key version). Returns whether it sent one.
 */
export async function shareDeviceProfile(
  db: KatDatabase,
  put: (blob: string) => Promise<unknown>,
  input: {
    clinicId: string;
    deviceId: string;
    key: CryptoKey;
    keyVersion: number;
    user?: string;
    appVersion: string;
    /** Used when no name was ever given (a computer joined before names existed). */
    fallbackName: string;
  },
): Promise<boolean> {
  const profile: DeviceProfile = {
    name: (await readComputerName(db)) ?? input.fallbackName,
    user: input.user,
    appVersion: input.appVersion,
  };
  const fingerprint = JSON.stringify([input.deviceId, input.keyVersion, profile]);
  if ((await db.meta.get(SENT))?.value === fingerprint) return false;
  await put(
    await sealDeviceProfile(input.key, input.keyVersion, input.clinicId, input.deviceId, profile),
  );
  await db.meta.put({ key: SENT, value: fingerprint });
  return true;
}

/**
 * A joining computer's profile, before it holds any clinic key: the name it was given and the
 * user name typed on its join screen, sealed to each active administrator's agreement key in the
 * chain it verified (ephemeral ECDH P-256 → HKDF-SHA-256 → AES-256-GCM, one entry per
 * administrator, at most 8). Format: `j1.<epk>~<base64 of iv ‖ ciphertext>.…`. The server cannot
 * read it; an administrator's computer shows it in "Computers waiting to join", and removing that
 * user revokes the computer (renderer/trust/devices.ts). It is a claim, not proof — the
 * fingerprint is what confirms a computer — so it only ever names, preselects and removes.
 * Once the computer holds a clinic key, its `p1` profile replaces it.
 */
export const JoinProfile = z.object({
  name: z.string().min(1).max(MAX_COMPUTER_NAME),
  username: z.string().max(64),
});
export type JoinProfile = z.infer<typeof JoinProfile>;

const MAX_JOIN_RECIPIENTS = 8;
const joinInfo = (clinicId: string, deviceId: string) =>
  `kat:join-profile:v1|${clinicId}|${deviceId}`;

async function joinKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  epk: string,
  to: string,
  info: string,
) {
  const shared = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: publicKey },
    privateKey,
    256,
  );
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const salt = concatBytes(fromBase64(epk), fromBase64(to));
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8(info) },
    hkdf,
    256,
  );
  return importAesKey(new Uint8Array(bits));
}

export async function sealJoinProfile(
  adminAgreementKeys: readonly string[],
  clinicId: string,
  deviceId: string,
  profile: JoinProfile,
): Promise<string> {
  const plain = utf8(JSON.stringify(JoinProfile.parse(profile)));
  const info = joinInfo(clinicId, deviceId);
  const entries: string[] = [];
  for (const to of [...new Set(adminAgreementKeys)].slice(0, MAX_JOIN_RECIPIENTS)) {
    const eph = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ]);
    const epk = await exportIdentityPublic(eph.publicKey);
    const key = await joinKey(eph.privateKey, await importIdentityPublic(to), epk, to, info);
    entries.push(`${epk}~${toBase64(packSealed(await seal(key, plain, info)))}`);
  }
  const blob = `j1.${entries.join('.')}`;
  if (blob.length > LIMITS.maxDeviceProfileChars) throw new Error('Computer profile too large');
  return blob;
}

/** The joining computer's profile, when it was sealed to this administrator; else undefined. */
export async function openJoinProfile(
  identity: Identity | undefined,
  clinicId: string,
  deviceId: string,
  blob: string | null | undefined,
): Promise<JoinProfile | undefined> {
  if (!identity || !blob?.startsWith('j1.')) return undefined;
  const own = await exportIdentityPublic(identity.publicKey);
  const info = joinInfo(clinicId, deviceId);
  for (const entry of blob.slice(3).split('.')) {
    const [epk, sealed] = entry.split('~');
    if (!epk || !sealed) continue;
    try {
      const key = await joinKey(
        identity.privateKey,
        await importIdentityPublic(epk),
        epk,
        own,
        info,
      );
      const parsed = JoinProfile.safeParse(
        JSON.parse(fromUtf8(await open(key, unpackSealed(fromBase64(sealed)), info))),
      );
      if (parsed.success) return parsed.data;
    } catch {
      // Sealed to another administrator, or damaged: try the next entry.
    }
  }
  return undefined;
}
