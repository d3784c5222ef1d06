/**
 * The device's sync secrets: its server token and its private signing key. They go to the platform
 * keychain (Electron safeStorage; in browser mode sealed under a non-extractable IndexedDB key),
 * never into the chart database in the clear. Tests pass an in-memory keychain.
 */
import {
  exportPrivateKey,
  exportPublicKey,
  generateDeviceKeyPair,
  importPrivateKey,
} from '../../shared/sync/device-keys';
import { fromBase64, toBase64 } from '../../shared/util/bytes';

export type Keychain = {
  get(name: string): Promise<string | null>;
  set(name: string, secret: string): Promise<void>;
  delete(name: string): Promise<void>;
};

export type DeviceSecrets = { token: string; signingKey: CryptoKey };

const TOKEN = 'kat-sync-token';
const SIGNING_KEY = 'kat-sync-signing-key';

/** A fresh key pair: the public half goes to the server, the private half only to the keychain. */
export async function newDeviceKeys() {
  const pair = await generateDeviceKeyPair(true);
  return { pair, publicKey: await exportPublicKey(pair.publicKey) };
}

export async function saveDeviceSecrets(keychain: Keychain, token: string, privateKey: CryptoKey) {
  await keychain.set(SIGNING_KEY, toBase64(await exportPrivateKey(privateKey)));
  await keychain.set(TOKEN, token);
}

export async function loadDeviceSecrets(keychain: Keychain): Promise<DeviceSecrets | undefined> {
  const [token, key] = await Promise.all([keychain.get(TOKEN), keychain.get(SIGNING_KEY)]);
  if (!token || !key) return undefined;
  return { token, signingKey: await importPrivateKey(fromBase64(key)) };
}

export async function forgetDeviceSecrets(keychain: Keychain) {
  await keychain.delete(TOKEN);
  await keychain.delete(SIGNING_KEY);
}

export function memoryKeychain(): Keychain {
  const m = new Map<string, string>();
  return {
    get: async (n) => m.get(n) ?? null,
    set: async (n, s) => void m.set(n, s),
    delete: async (n) => void m.delete(n),
  };
}
