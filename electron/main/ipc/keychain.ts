/**
 * A few small secrets (a device key, a sync token) kept between launches, encrypted by the OS
 * through Electron's safeStorage (its async API; the sync one is deprecated). A clinical app still
 * asks for the passphrase after a lock: this is convenience, not the door.
 */
import {
  ipcError,
  ipcOk,
  parseIpcRequest,
  type IpcReply,
  type KeychainBackend,
} from '../../../shared/ipc';

export type KeychainStore = {
  read: (name: string) => Promise<Uint8Array | null>;
  write: (name: string, sealed: Uint8Array) => Promise<void>;
  remove: (name: string) => Promise<boolean>;
};

export type KeychainDeps = {
  isAvailable: () => Promise<boolean>;
  backend: () => KeychainBackend;
  encrypt: (plainText: string) => Promise<Uint8Array>;
  decrypt: (sealed: Uint8Array) => Promise<{ result: string; shouldReEncrypt: boolean }>;
  store: KeychainStore;
  warn: (message: string) => void;
};

/**
 * On Linux without a keyring, Chromium's "basic_text" backend encrypts with a fixed, public key
 * (Electron safeStorage docs): the secret is then only as safe as the user's files.
 */
export const BASIC_TEXT_WARNING =
  'This computer has no password keyring KAT Chart can use (such as GNOME Keyring or KWallet), so ' +
  'remembered secrets are protected only by a fixed key: anyone who can copy your user files could ' +
  'read them. Set up a keyring, or do not let KAT Chart remember secrets on this computer.';

const UNAVAILABLE =
  'The computer’s keychain is not available right now, so nothing was remembered. Sign in with ' +
  'your passphrase as usual.';

function status(deps: KeychainDeps) {
  const backend = deps.backend();
  const warning = backend === 'basic_text' ? BASIC_TEXT_WARNING : null;
  if (warning) deps.warn(`keychain backend is basic_text: ${warning}`);
  return { backend, warning };
}

export async function getSecret(deps: KeychainDeps, payload: unknown): IpcReply<'keychain:get'> {
  const parsed = parseIpcRequest('keychain:get', payload);
  if (!parsed.ok) return parsed.result;
  const { name } = parsed.request;
  if (!(await deps.isAvailable())) return ipcError('keychain-unavailable', UNAVAILABLE);
  const sealed = await deps.store.read(name);
  if (!sealed) return ipcOk({ secret: null, ...status(deps) });
  try {
    const { result, shouldReEncrypt } = await deps.decrypt(sealed);
    // The OS rotated its key: store under the new one so the secret survives the old key's removal.
    if (shouldReEncrypt) await deps.store.write(name, await deps.encrypt(result));
    return ipcOk({ secret: result, ...status(deps) });
  } catch {
    return ipcError(
      'keychain-unreadable',
      'A remembered secret can no longer be read on this computer (its keychain changed). Sign in ' +
        'with your passphrase; KAT Chart will remember it again.',
    );
  }
}

export async function setSecret(deps: KeychainDeps, payload: unknown): IpcReply<'keychain:set'> {
  const parsed = parseIpcRequest('keychain:set', payload);
  if (!parsed.ok) return parsed.result;
  const { name, secret } = parsed.request;
  if (!(await deps.isAvailable())) return ipcError('keychain-unavailable', UNAVAILABLE);
  try {
    await deps.store.write(name, await deps.encrypt(secret));
  } catch {
    return ipcError('write-failed', 'The secret could not be saved on this computer.');
  }
  return ipcOk(status(deps));
}

export async function deleteSecret(
  deps: KeychainDeps,
  payload: unknown,
): IpcReply<'keychain:delete'> {
  const parsed = parseIpcRequest('keychain:delete', payload);
  if (!parsed.ok) return parsed.result;
  return ipcOk({ deleted: await deps.store.remove(parsed.request.name) });
}
