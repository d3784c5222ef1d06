/**
 * Type-checking aid for tsconfig.shared.json only (the web and node configs use the real DOM lib).
 * The few web-platform globals that shared/ may use. They exist identically in Chromium, Electron's
 * renderer, Web Workers and Node 20, so pure code can rely on them; everything else from the DOM or
 * Node stays out (tsconfig.shared.json has lib ES2022 and no types). Declared minimally on purpose:
 * a new global here is a design decision, not a convenience.
 */
/* eslint-disable @typescript-eslint/consistent-type-definitions -- global interfaces must merge with the DOM lib's */
declare global {
  type BufferSourceLike = ArrayBuffer | ArrayBufferView<ArrayBuffer>;

  interface CryptoKey {
    readonly algorithm: { name: string };
    readonly extractable: boolean;
    readonly type: 'secret' | 'private' | 'public';
    readonly usages: string[];
  }
  interface CryptoKeyPair {
    readonly privateKey: CryptoKey;
    readonly publicKey: CryptoKey;
  }
  type KeyUsageName =
    | 'encrypt'
    | 'decrypt'
    | 'sign'
    | 'verify'
    | 'wrapKey'
    | 'unwrapKey'
    | 'deriveBits'
    | 'deriveKey';
  type AlgorithmParams = { name: string; [k: string]: unknown };
  type JsonWebKeyLike = { [k: string]: unknown };

  interface SubtleCrypto {
    encrypt(alg: AlgorithmParams, key: CryptoKey, data: BufferSourceLike): Promise<ArrayBuffer>;
    decrypt(alg: AlgorithmParams, key: CryptoKey, data: BufferSourceLike): Promise<ArrayBuffer>;
    sign(
      alg: AlgorithmParams | string,
      key: CryptoKey,
      data: BufferSourceLike,
    ): Promise<ArrayBuffer>;
    verify(
      alg: AlgorithmParams | string,
      key: CryptoKey,
      signature: BufferSourceLike,
      data: BufferSourceLike,
    ): Promise<boolean>;
    digest(alg: string, data: BufferSourceLike): Promise<ArrayBuffer>;
    generateKey(
      alg: AlgorithmParams,
      extractable: boolean,
      usages: KeyUsageName[],
    ): Promise<CryptoKey | CryptoKeyPair>;
    importKey(
      format: 'raw' | 'spki' | 'pkcs8',
      keyData: BufferSourceLike,
      alg: AlgorithmParams | string,
      extractable: boolean,
      usages: KeyUsageName[],
    ): Promise<CryptoKey>;
    importKey(
      format: 'jwk',
      keyData: JsonWebKeyLike,
      alg: AlgorithmParams | string,
      extractable: boolean,
      usages: KeyUsageName[],
    ): Promise<CryptoKey>;
    exportKey(format: 'raw' | 'spki' | 'pkcs8', key: CryptoKey): Promise<ArrayBuffer>;
    exportKey(format: 'jwk', key: CryptoKey): Promise<JsonWebKeyLike>;
    deriveBits(alg: AlgorithmParams, baseKey: CryptoKey, length: number): Promise<ArrayBuffer>;
  }
  interface Crypto {
    readonly subtle: SubtleCrypto;
    getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T;
    randomUUID(): string;
  }
  var crypto: Crypto;

  class TextEncoder {
    encode(input?: string): Uint8Array;
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean });
    decode(input?: BufferSourceLike): string;
  }
  function btoa(data: string): string;
  function atob(data: string): string;
}
export {};
