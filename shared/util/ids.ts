/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Sortable by creation time, so
 * Dexie's primary-key order is creation order, and unique without coordination between devices.
 * Clock and randomness come in as parameters so tests can pin them.
 */
export type RandomBytes = (n: number) => Uint8Array;

export const webRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function uuidv7(nowMs: number = Date.now(), random: RandomBytes = webRandom): string {
  const b = new Uint8Array(16);
  b.set(random(10), 6);
  let ms = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Milliseconds since the epoch encoded in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
