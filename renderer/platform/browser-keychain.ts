/**
 * Browser mode's keychain: secrets sealed with AES-GCM under a non-extractable key that lives in
 * IndexedDB (stored by structured clone, so page code can use it but never read its bytes). The
 * browser profile on disk is what protects that key, which is why browser mode always warns.
 */

export type BrowserKeychain = {
  get: (name: string) => Promise<string | null>;
  set: (name: string, secret: string) => Promise<void>;
  remove: (name: string) => Promise<boolean>;
};

type SealedSecret = { iv: Uint8Array<ArrayBuffer>; sealed: ArrayBuffer };

const KEYS = 'keys';
const SECRETS = 'secrets';
const KEY_ID = 'sealing-key';

export function createBrowserKeychain(
  idb: IDBFactory = globalThis.indexedDB,
  dbName = 'kat-keychain',
): BrowserKeychain {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => (db ??= openDatabase(idb, dbName));
  const aad = (name: string) => new TextEncoder().encode(`kat-keychain:${name}`);

  return {
    async get(name) {
      const database = await open();
      const entry = await done<SealedSecret | undefined>(
        database.transaction(SECRETS).objectStore(SECRETS).get(name),
      );
      if (!entry) return null;
      const key = await sealingKey(database);
      // The name is bound as associated data: an entry copied under another name will not open.
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: entry.iv, additionalData: aad(name) },
        key,
        entry.sealed,
      );
      return new TextDecoder().decode(plain);
    },
    async set(name, secret) {
      const database = await open();
      const key = await sealingKey(database);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: aad(name) },
        key,
        new TextEncoder().encode(secret),
      );
      const tx = database.transaction(SECRETS, 'readwrite');
      tx.objectStore(SECRETS).put({ iv, sealed } satisfies SealedSecret, name);
      await committed(tx);
    },
    async remove(name) {
      const database = await open();
      const tx = database.transaction(SECRETS, 'readwrite');
      const store = tx.objectStore(SECRETS);
      const existed = (await done(store.count(name))) > 0;
      store.delete(name);
      await committed(tx);
      return existed;
    },
  };
}

function openDatabase(idb: IDBFactory, name: string): Promise<IDBDatabase> {
  const request = idb.open(name, 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore(KEYS);
    request.result.createObjectStore(SECRETS);
  };
  return done(request);
}

async function sealingKey(db: IDBDatabase): Promise<CryptoKey> {
  const read = () =>
    done<CryptoKey | undefined>(db.transaction(KEYS).objectStore(KEYS).get(KEY_ID));
  const existing = await read();
  if (existing) return existing;
  const fresh = (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ])) as CryptoKey;
  try {
    // add(), not put(): if another tab stored a key meanwhile, keep theirs, so that nothing is
    // ever sealed under a key that is then overwritten.
    const tx = db.transaction(KEYS, 'readwrite');
    tx.objectStore(KEYS).add(fresh, KEY_ID);
    await committed(tx);
    return fresh;
  } catch {
    const winner = await read();
    if (!winner) throw new Error('The browser could not store the keychain key');
    return winner;
  }
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('The keychain change was not saved'));
  });
}
