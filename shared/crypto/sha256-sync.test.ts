import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './hash';
import { hmacSha256Sync, sha256HexSync } from './sha256-sync';
import { toHex, utf8 } from '../util/bytes';

describe('synchronous SHA-256', () => {
  // FIPS 180-4 examples (NIST CSRC "Example Algorithms", SHA-256) and the empty-string digest.
  it('matches the published test vectors', () => {
    expect(sha256HexSync('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256HexSync('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256HexSync('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256HexSync('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with WebCrypto on any input, across block boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(sha256HexSync(bytes)).toBe(await sha256Hex(bytes));
      }),
      { numRuns: 200 },
    );
  });

  // RFC 4231 test cases 1, 2 and 6 (key longer than a block).
  it('computes HMAC-SHA-256 as RFC 4231 publishes it, and as WebCrypto does', async () => {
    expect(toHex(hmacSha256Sync(new Uint8Array(20).fill(0x0b), 'Hi There'))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(toHex(hmacSha256Sync(utf8('Jefe'), 'what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(
      toHex(
        hmacSha256Sync(
          new Uint8Array(131).fill(0xaa),
          'Test Using Larger Than Block-Size Key - Hash Key First',
        ),
      ),
    ).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 200 }),
        async (key, msg) => {
          const k = await crypto.subtle.importKey(
            'raw',
            key,
            { name: 'HMAC', hash: 'SHA-256' },
            false,
            ['sign'],
          );
          const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, msg));
          expect(toHex(hmacSha256Sync(key, msg))).toBe(toHex(mac));
        },
      ),
      { numRuns: 100 },
    );
  });
});
