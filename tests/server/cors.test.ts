import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { originAllowed } from '../../server/cors';
import { EmbeddedStore } from '../../server/store/embedded';

const dir = mkdtempSync(join(tmpdir(), 'kat-cors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cross-origin access', () => {
  it('allows the app (kat://app, browser mode on loopback) and configured origins only', () => {
    expect(originAllowed('kat://app')).toBe(true);
    expect(originAllowed('http://127.0.0.1:5173')).toBe(true);
    expect(originAllowed('http://localhost:4179')).toBe(true);
    expect(originAllowed('https://evil.example')).toBe(false);
    expect(originAllowed('http://127.0.0.1.evil.example')).toBe(false);
    expect(originAllowed('https://charts.clinic.example', ['https://charts.clinic.example'])).toBe(
      true,
    );
  });

  it('answers a preflight from the app and sends no grant to other origins', async () => {
    const store = await EmbeddedStore.open({ dir });
    const app = buildApp({ store });
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/v1/health',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'GET' },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('authorization');
    const foreign = await app.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
    await store.close();
  });
});
