import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, createAppProtocolHandler, resolveAppFile } from './app-protocol';

const ROOT = '/opt/kat/out/renderer';

describe('resolveAppFile', () => {
  it('maps app URLs to files in the renderer build', () => {
    expect(resolveAppFile(ROOT, APP_ENTRY_URL)).toBe(`${ROOT}/index.html`);
    expect(resolveAppFile(ROOT, 'kat://app/assets/index-abc.js')).toBe(
      `${ROOT}/assets/index-abc.js`,
    );
    expect(resolveAppFile(ROOT, 'kat://app/assets/Inter%20Regular.woff2')).toBe(
      `${ROOT}/assets/Inter Regular.woff2`,
    );
  });

  it('serves the app for its own routes, so a reload on a chart still works', () => {
    expect(resolveAppFile(ROOT, 'kat://app/')).toBe(`${ROOT}/index.html`);
    expect(resolveAppFile(ROOT, 'kat://app/patients/0190-abc')).toBe(`${ROOT}/index.html`);
  });

  it.each([
    'kat://app/../../../etc/passwd.txt',
    'kat://app/%2e%2e/%2e%2e/etc/passwd.txt',
    'kat://app/..%2F..%2F..%2Fetc%2Fpasswd.txt',
    'kat://app/..%5C..%5Csecrets.json',
    'kat://app/%00.js',
    'kat://app/%E0%A4%A.js',
    'kat://other/index.html',
    'https://app/index.html',
  ])('serves nothing outside the build for %s', (url) => {
    // Either refused, or (once the URL parser has resolved the dots) a file inside the build.
    const file = resolveAppFile(ROOT, url);
    expect(file === null || file.startsWith(`${ROOT}/`)).toBe(true);
  });
});

describe('app protocol handler', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kat-renderer-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>KAT Chart</title>');
    await writeFile(join(root, 'assets', 'argon2.wasm'), new Uint8Array([0, 97, 115, 109]));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('answers with the file, its type and the CSP header', async () => {
    const handle = createAppProtocolHandler({ rendererRoot: root, csp: "default-src 'none'" });
    const page = await handle(new Request('kat://app/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('KAT Chart');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const wasm = await handle(new Request('kat://app/assets/argon2.wasm'));
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
  });

  it('answers 404 for a missing file or a path out of the folder', async () => {
    const handle = createAppProtocolHandler({ rendererRoot: root, csp: "default-src 'none'" });
    expect((await handle(new Request('kat://app/assets/missing.js'))).status).toBe(404);
    expect((await handle(new Request('kat://app/..%2F..%2Fetc%2Fhosts.txt'))).status).toBe(404);
  });
});
