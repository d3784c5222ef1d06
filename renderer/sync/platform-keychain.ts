/** The device keychain of the running platform (safeStorage in Electron, sealed IndexedDB in a browser). */
import { platform } from '../platform';
import type { Keychain } from './device-credentials';

export const platformKeychain: Keychain = {
  async get(name) {
    const r = await platform.getSecret({ name });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.secret;
  },
  async set(name, secret) {
    const r = await platform.setSecret({ name, secret });
    if (!r.ok) throw new Error(r.error.message);
  },
  async delete(name) {
    const r = await platform.deleteSecret({ name });
    if (!r.ok) throw new Error(r.error.message);
  },
};

/** The plain-words warning when secrets are only weakly protected (Linux basic_text, browser). */
export async function keychainWarning(): Promise<string | null> {
  const r = await platform.getSecret({ name: 'kat-sync-token' });
  return r.ok ? r.value.warning : null;
}
