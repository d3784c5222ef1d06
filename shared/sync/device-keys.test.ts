import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../crypto/envelope';
import { utf8 } from '../util/bytes';
import {
  DeviceKeyError,
  exportPrivateKey,
  exportPublicKey,
  generateDeviceKeyPair,
  importPrivateKey,
  importPublicKey,
  publicKeyFingerprint,
  signBytes,
  unwrapSigningKey,
  verifyBytes,
  wrapSigningKey,
} from './device-keys';
import { PublicKeySpki } from './protocol';

const DEVICE = '01890a5d-ac96-774b-bcce-b302099a8057';

describe('device signing keys', () => {
  it('a signature made on one device verifies with its exported public key elsewhere', async () => {
    const pair = await generateDeviceKeyPair();
    const spki = await exportPublicKey(pair.publicKey);
    expect(PublicKeySpki.safeParse(spki).success).toBe(true);
    const message = utf8('bundle bytes');
    const sig = await signBytes(pair.privateKey, message);
    expect(sig.length).toBe(64);
    expect(await verifyBytes(await importPublicKey(spki), sig, message)).toBe(true);
  });

  it('refuses a signature over other bytes, by another device, or of the wrong length', async () => {
    const a = await generateDeviceKeyPair();
    const b = await generateDeviceKeyPair();
    const message = utf8('dose 0.5 mg/kg');
    const sig = await signBytes(a.privateKey, message);
    expect(await verifyBytes(a.publicKey, sig, utf8('dose 5 mg/kg'))).toBe(false);
    expect(await verifyBytes(b.publicKey, sig, message)).toBe(false);
    expect(await verifyBytes(a.publicKey, sig.slice(0, 63), message)).toBe(false);
    expect(await verifyBytes(a.publicKey, new Uint8Array(64), message)).toBe(false);
  });

  it('keeps private keys non-extractable unless asked', async () => {
    const pair = await generateDeviceKeyPair();
    await expect(exportPrivateKey(pair.privateKey)).rejects.toThrow(/cannot be exported/);
    const exportable = await generateDeviceKeyPair(true);
    const pkcs8 = await exportPrivateKey(exportable.privateKey);
    const again = await importPrivateKey(pkcs8);
    const sig = await signBytes(again, utf8('x'));
    expect(await verifyBytes(exportable.publicKey, sig, utf8('x'))).toBe(true);
  });

  it('wraps the private key under an AES key, bound to the device id', async () => {
    const pair = await generateDeviceKeyPair(true);
    const dataKey = await generateDataKey();
    const wrapped = await wrapSigningKey(pair.privateKey, dataKey, DEVICE);
    const key = await unwrapSigningKey(wrapped, dataKey, DEVICE);
    expect(await verifyBytes(pair.publicKey, await signBytes(key, utf8('y')), utf8('y'))).toBe(
      true,
    );
    const other = '01890a5d-ac96-774b-bcce-b302099a8058';
    await expect(unwrapSigningKey(wrapped, dataKey, other)).rejects.toThrow(DeviceKeyError);
    await expect(unwrapSigningKey(wrapped, await generateDataKey(), DEVICE)).rejects.toThrow(
      /Enroll the device again/,
    );
    await expect(unwrapSigningKey({ iv: '!!', ct: '??' }, dataKey, DEVICE)).rejects.toThrow(
      DeviceKeyError,
    );
  });

  it('explains an unreadable public key in plain words', async () => {
    await expect(importPublicKey('AAAA')).rejects.toThrow(/could not be read/);
  });

  it('fingerprints differ between devices and are stable for one', async () => {
    const a = await exportPublicKey((await generateDeviceKeyPair()).publicKey);
    const b = await exportPublicKey((await generateDeviceKeyPair()).publicKey);
    expect(await publicKeyFingerprint(a)).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    expect(await publicKeyFingerprint(a)).toBe(await publicKeyFingerprint(a));
    expect(await publicKeyFingerprint(a)).not.toBe(await publicKeyFingerprint(b));
  });
});
