/**
 * The app's JS heap after a new computer's initial pull (issue 20): the built app on a second
 * computer that joins a clinic of ~10,000 records the way a person does, measured once the pull
 * is done. `npm run bench -- join [--small]` alone (results/join.{md,json}); part of a full run.
 *
 * 1. The clinic server (kat-server.ts) starts empty.
 * 2. The first computer (a fresh browser context): the app's own demo writer fills the app's
 *    database with a demo clinic of as many patients as make `target` generated records
 *    (page/clinic-seed.ts); the app is opened, the administrator signs in, connects the clinic to
 *    the server (Settings → Clinic server, setup token) and the app pushes everything itself;
 *    then it makes an enrollment code.
 * 3. The new computer (another fresh context, same browser): "Join a clinic" with the server
 *    address and the code, as the administrator; the first computer's administrator finds the
 *    numbers it shows among the computers waiting to join and confirms; the new computer then
 *    fetches its keys, pulls everything, signs in and shows the patient list, by itself.
 * 4. Once its header says "Synced" the first computer is closed, the new computer's heap is
 *    measured through CDP after garbage collection, and its records counted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright';
import { generateDemoClinic } from '../../shared/demo/generate';
import { BENCH_CLINIC_ID, BENCH_NOW, BENCH_STAFF } from './data';
import { SETUP_TOKEN, startKatServer } from './kat-server';
import { serve } from './render';
import { type Row, markdownTable, ms } from './report';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSPHRASE = 'ketamine demo clinic'; // the demo clinic's (shared/demo/generate.ts)
const SEED_PAGE = '/__bench/clinic-seed.html';

export type JoinPullFigures = {
  /** Generated records asked for, and the demo patients that make them. */
  target: number;
  patients: number;
  /** Records in the first computer's store once written (the clinic's own rows included). */
  seededRecords: number;
  seedMs: number;
  /** Connect clicked → the first computer's header says "Synced" with nothing waiting. */
  pushMs: number;
  /** On the new computer after the join: records and audit events in its store. */
  pulled: { records: number; audit: number };
  /** The new computer's pull: its first page requested → its round's key-blob listing requested. */
  pullMs: number;
  /** Pages of bundles the pull fetched. */
  pages: number;
  /** The new computer saw the confirmation → its first patient rows drawn (keys, pull, sign-in). */
  confirmedToListMs: number;
  /** The new computer's heap after garbage collection: at the list, and once it says "Synced". */
  heapAtListMb: number;
  heapMb: number;
};

/**
 * The smallest number of patients whose generated records reach `target`, from the cumulative
 * record count after each patient (`perPatient[i]`: records once patient i + 1 is generated).
 * All of them when they never reach it.
 */
export function patientsToReach(target: number, perPatient: readonly number[]): number {
  const i = perPatient.findIndex((n) => n >= target);
  return i === -1 ? perPatient.length : i + 1;
}

/** Cumulative generated records after each patient, up to `target` (the demo generator's). */
async function recordsPerPatient(target: number): Promise<number[]> {
  const out: number[] = [];
  let total = 0;
  for await (const chunk of generateDemoClinic({
    clinicId: BENCH_CLINIC_ID,
    node: 'bench',
    staff: BENCH_STAFF,
    patients: Math.ceil(target / 20),
    now: BENCH_NOW,
    chunk: 1,
  })) {
    total += chunk.records.length;
    out.push(total);
    if (total >= target) break;
  }
  return out;
}

/**
 * In the new computer's page: when the join's "Waiting for an administrator" line goes (the
 * confirmation seen) and when the first patient row is drawn, checked every frame; resource
 * timing kept for every request (the pull's pages).
 */
const PROBE = `(() => {
  const b = {};
  window.__join = b;
  performance.setResourceTimingBufferSize(100000);
  const frame = () => {
    const waiting = [...document.querySelectorAll('[role="status"]')].some((e) =>
      (e.textContent || '').includes('Waiting for an administrator'));
    if (waiting) b.waitingSeen = true;
    else if (b.waitingSeen && b.confirmedAt === undefined) b.confirmedAt = performance.now();
    if (b.listAt === undefined && document.querySelector('[aria-label^="Open chart: "]'))
      b.listAt = performance.now();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;
type JoinProbe = { waitingSeen?: boolean; confirmedAt?: number; listAt?: number };

async function seedPage(): Promise<Record<string, { type: string; body: string | Uint8Array }>> {
  const bundle = await build({
    entryPoints: ['tests/bench/page/clinic-seed.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    logLevel: 'error',
  });
  return {
    [SEED_PAGE]: {
      type: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><title>KAT bench: clinic</title><script type="module" src="/__bench/clinic-seed.js"></script>',
    },
    '/__bench/clinic-seed.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents },
  };
}

const status = (p: Page) => p.getByRole('button', { name: /^Sync status:/ });

/** Waits until the header says "Synced …" (a round done, nothing waiting, no problem). */
async function synced(p: Page, timeout: number) {
  await p.waitForFunction(
    () => {
      const label =
        document.querySelector('button[aria-label^="Sync status:"]')?.getAttribute('aria-label') ??
        '';
      return /^Sync status: Synced /.test(label) && !/never|waiting/.test(label);
    },
    undefined,
    { timeout, polling: 250 },
  );
}

async function settingsClinicServer(p: Page) {
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await p.getByRole('tab', { name: 'Clinic server' }).click();
}

/** The first computer: demo clinic written, administrator signed in, connected, pushed. */
async function firstComputer(
  ctx: BrowserContext,
  appUrl: string,
  serverUrl: string,
  patients: number,
  log: (m: string) => void,
) {
  const seed = await ctx.newPage();
  seed.setDefaultTimeout(30 * 60_000);
  await seed.goto(new URL(SEED_PAGE, appUrl).href);
  await seed.waitForFunction(() => 'katClinicSeed' in globalThis);
  const written = await seed.evaluate(
    (n) =>
      (
        globalThis as unknown as {
          katClinicSeed: { demoClinic: (n: number) => Promise<{ records: number; ms: number }> };
        }
      ).katClinicSeed.demoClinic(n),
    patients,
  );
  await seed.close();
  log(
    `join: first computer's clinic written: ${patients} patients, ${written.records.toLocaleString('en-US')} records (${(written.ms / 1000).toFixed(0)} s)`,
  );
  const a = await ctx.newPage();
  a.setDefaultTimeout(5 * 60_000);
  await a.goto(appUrl);
  await a.getByLabel('User name', { exact: true }).fill('avery');
  await a.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await a.getByRole('button', { name: 'Sign in' }).click();
  await a.locator('[aria-label^="Open chart: "]').first().waitFor();
  await settingsClinicServer(a);
  await a.getByLabel('Server address').fill(serverUrl);
  await a.getByLabel('Setup token').fill(SETUP_TOKEN);
  await a.getByLabel('Name of this computer').fill('Bench first computer');
  const t0 = Date.now();
  await a.getByRole('button', { name: 'Connect' }).click();
  await status(a).waitFor();
  await synced(a, 20 * 60_000);
  const pushMs = Date.now() - t0;
  log(`join: first computer pushed its clinic in ${(pushMs / 1000).toFixed(1)} s`);
  const code = a.getByLabel('Enrollment code', { exact: true });
  await a.getByRole('button', { name: 'Create enrollment code' }).click();
  await a.waitForFunction(
    () =>
      /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(
        document.querySelector('[aria-label="Enrollment code"]')?.textContent?.trim() ?? '',
      ),
    undefined,
    { polling: 250 },
  );
  return {
    page: a,
    code: (await code.textContent())!.trim(),
    seeded: written,
    pushMs,
  };
}

export async function joinPullBench(opts: {
  dir: string;
  target: number;
  log: (m: string) => void;
}): Promise<JoinPullFigures> {
  const { log, target } = opts;
  const patients = patientsToReach(target, await recordsPerPatient(target));
  const kat = await startKatServer();
  const { server, url } = await serve({ dir: opts.dir }, 0, await seedPage());
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
    });
    const viewport = { width: 1280, height: 800 };
    // Two contexts: two computers, each with its own fresh storage.
    const ctxA = await browser.newContext({ viewport });
    const ctxB = await browser.newContext({ viewport });
    await ctxB.addInitScript({ content: PROBE });
    const first = await firstComputer(ctxA, url, kat.url, patients, log);

    const b = await ctxB.newPage();
    b.setDefaultTimeout(20 * 60_000);
    await b.goto(url);
    const card = b.getByRole('region', { name: 'Join a clinic' });
    await card.getByLabel('Clinic server address').fill(kat.url);
    await card.getByLabel('Enrollment code').fill(first.code);
    await card.getByLabel('Name of this computer').fill('Bench new computer');
    await card.getByLabel('Your sign-in name').fill('avery');
    await card.getByLabel('Your passphrase').fill(PASSPHRASE);
    await card.getByRole('button', { name: 'Join clinic' }).click();
    const shown = b.getByLabel('Fingerprint of this computer');
    await b.waitForFunction(
      () =>
        /^\d{5}( \d{5}){4}$/.test(
          document
            .querySelector('[aria-label="Fingerprint of this computer"]')
            ?.textContent?.trim() ?? '',
        ),
      undefined,
      { polling: 250, timeout: 60_000 },
    );
    const digits = (await shown.textContent())!.trim();

    // The administrator, on the first computer, compares the numbers and confirms.
    const a = first.page;
    await settingsClinicServer(a);
    const row = a
      .getByRole('table', { name: 'Computers waiting to join' })
      .getByRole('row')
      .filter({ hasText: digits });
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: /^The numbers match: confirm computer/ }).click();
    await a.getByText(/joined the clinic as/).waitFor({ timeout: 60_000 });
    log('join: confirmed on the first computer; closing it');
    // The first computer's work is done: closed, so the new computer has the machine to itself.
    await ctxA.close();

    await b.waitForFunction(
      () => (window as unknown as { __join: JoinProbe }).__join.listAt !== undefined,
      undefined,
      { polling: 250 },
    );
    const cdp = await ctxB.newCDPSession(b);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
    };
    const heapAtListMb = await heap();
    await synced(b, 10 * 60_000);
    const heapMb = await heap();
    const seen = await b.evaluate(() => {
      const j = (window as unknown as { __join: JoinProbe }).__join;
      const requests = performance
        .getEntriesByType('resource')
        .map((e) => ({ path: new URL(e.name).pathname + new URL(e.name).search, at: e.startTime }));
      return { ...j, requests };
    });
    const pulled = await b.evaluate(
      () =>
        new Promise<{ records: number; audit: number }>((resolve, reject) => {
          const open = indexedDB.open('kat-chart');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['records', 'audit']);
            const r = tx.objectStore('records').count();
            const au = tx.objectStore('audit').count();
            tx.oncomplete = () => {
              resolve({ records: r.result, audit: au.result });
              db.close();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    const pull = pullSpan(seen.requests);
    const f: JoinPullFigures = {
      target,
      patients,
      seededRecords: first.seeded.records,
      seedMs: first.seeded.ms,
      pushMs: first.pushMs,
      pulled,
      pullMs: pull.ms,
      pages: pull.pages,
      confirmedToListMs: seen.listAt! - seen.confirmedAt!,
      heapAtListMb,
      heapMb,
    };
    log(
      `join: new computer pulled ${pulled.records.toLocaleString('en-US')} records in ${(f.pullMs / 1000).toFixed(1)} s; heap ${heapMb.toFixed(0)} MB`,
    );
    return f;
  } finally {
    await browser?.close();
    server.close();
    await kat.close();
  }
}

/**
 * The pull in the new computer's request log: its first page of bundles (`/v1/bundles?after=`)
 * requested → the same round's key-blob listing requested (the sync round lists key blobs after
 * its pull and its push, which has nothing to send on a new computer). NaN when not found.
 */
export function pullSpan(requests: readonly { path: string; at: number }[]): {
  ms: number;
  pages: number;
} {
  const start = requests.findIndex((r) => r.path.startsWith('/v1/bundles?after='));
  if (start === -1) return { ms: NaN, pages: 0 };
  const end = requests.findIndex((r, i) => i > start && r.path === '/v1/key-blobs');
  const within = requests.slice(start, end === -1 ? undefined : end);
  return {
    ms: end === -1 ? NaN : requests[end]!.at - requests[start]!.at,
    pages: within.filter((r) => r.path.startsWith('/v1/bundles?after=')).length,
  };
}

const nf = (n: number) => n.toLocaleString('en-US');

export function joinPullRow(f: JoinPullFigures): Row {
  return {
    benchmark:
      `app JS heap after a new computer's initial pull of ${nf(f.pulled.records)} records (and ${nf(f.pulled.audit)} audit events): ` +
      `the built app in a fresh browser profile joins with an enrollment code as the administrator, confirmed on the first computer's screen; ` +
      `main thread's heap (the bundle worker's apart) after garbage collection once its header says "Synced" (at the first patient rows: ${f.heapAtListMb.toFixed(0)} MB). ` +
      `Pull ${ms(f.pullMs)} (${f.pages} request${f.pages === 1 ? '' : 's'} for bundles, the first → the round's key-blob listing; each change's writer signature checked); confirmation seen → patient list drawn ${ms(f.confirmedToListMs)} (keys with Argon2id, pull, sign-in). ` +
      `The clinic: the app's demo writer at ${nf(f.patients)} patients (${nf(f.seededRecords)} records) on the first computer, pushed by the app in ${ms(f.pushMs)}`,
    ours: `${f.heapMb.toFixed(0)} MB`,
    baseline: '—',
    ratio: '',
    goal: '< 150 MB',
    met: f.heapMb < 150,
  };
}

/** `npm run bench -- join [--small]`: this row alone, into results/join.{md,json}. */
export async function joinOnlyMain(opts: {
  dir: string;
  target: number;
  log: (m: string) => void;
}) {
  const at = loadavg()[0]!.toFixed(1);
  const t0 = Date.now();
  const f = await joinPullBench(opts);
  const md = `# KAT Chart join-pull benchmark (${new Date().toISOString()}, ${Math.round((Date.now() - t0) / 1000)} s, load average ${at} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)\n\n${markdownTable([joinPullRow(f)])}\n`;
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/join.md', md);
  writeFileSync('tests/bench/results/join.json', JSON.stringify(f, null, 2));
  console.info(`\n${md}`);
}
