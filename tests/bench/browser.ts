/**
 * The bench page: bundled once with esbuild (shared/ and renderer/db + renderer/sync code, and
 * pouchdb-browser with the `events` polyfill), served from loopback, opened in headless Chromium.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, type CDPSession, type Page, chromium } from '@playwright/test';
import type { KatBench } from './page/bench-page';

export type BenchBrowser = {
  page: Page;
  call: <K extends keyof KatBench>(
    name: K,
    ...args: Parameters<KatBench[K]>
  ) => Promise<Awaited<ReturnType<KatBench[K]>>>;
  heapMb: () => Promise<number>;
  /** Runs `fn` under the CPU profiler; the functions with the most self time, in ms. */
  profile: <T>(fn: () => Promise<T>) => Promise<{ value: T; top: [string, number][] }>;
  close: () => Promise<void>;
};

/** `root`: the tree whose bench page is built (another commit's, for a before → after run). */
export async function openBenchPage(root = '.'): Promise<BenchBrowser> {
  const js = await bundleFile(join(root, 'tests/bench/page/bench-page.ts'));
  const workerEntry = join(root, 'renderer/sync/bundle-codec.worker.ts');
  // The sync engine's bundle worker, where the page asks for it (bundle-codec.ts), so bundles are
  // built and opened off the page's thread as in the app. Before 7 Dec the bench served none: the
  // worker failed to load and every bundle was coded on the page's thread (the codec's fallback).
  // BENCH_CODEC=inline measures that way again.
  const worker =
    process.env.BENCH_CODEC === 'inline' || !existsSync(workerEntry)
      ? undefined // (an older tree has no worker)
      : await bundleFile(workerEntry);
  const html =
    '<!doctype html><meta charset="utf-8"><title>KAT bench</title><script type="module" src="/bench.js"></script>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else if (worker && req.url === '/bundle-codec.worker.ts')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // The clinic server answers no CORS (the app reaches it from Electron); both peers' pages run
      // cross-origin here, so the bench browser skips the check for both alike.
      '--disable-web-security',
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(15 * 60_000);
  page.on('pageerror', (e) => console.error(`bench page: ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => 'katBench' in globalThis);
  const cdp: CDPSession = await page.context().newCDPSession(page);
  return {
    page,
    call: (name, ...args) =>
      page.evaluate(
        ([n, a]) =>
          (globalThis as unknown as { katBench: Record<string, (...x: unknown[]) => unknown> })
            .katBench[n]!(...a),
        [name, args] as const,
      ) as never,
    heapMb: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize / 1e6;
    },
    profile: async (fn) => {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
      const value = await fn();
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt =
        (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? 1);
      for (const n of profile.nodes) {
        const f = n.callFrame;
        const file = f.url.split('/').pop() ?? '';
        const name = `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
        self.set(name, (self.get(name) ?? 0) + (n.hitCount ?? 0) * dt);
      }
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
      return { value, top: top.map(([k, v]) => [k, Math.round(v)] as [string, number]) };
    },
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

async function bundleFile(entry: string): Promise<Uint8Array> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // Not minified, so profiles name our functions.
    minify: false,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    logLevel: 'error',
  });
  return out.outputFiles[0]!.contents;
}
