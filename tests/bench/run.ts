/**
 * `npm run bench [-- --small]`: every figure against a baseline measured in the same run (issue 8).
 * Writes tests/bench/results/latest.json and latest.md and prints the table.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { toBase64 } from '../../shared/util/bytes';
import { type BenchBrowser, openBenchPage } from './browser';
import { benchAuditEvents, benchRecords, countRecords } from './data';
import { ingest } from './ingest';
import { consentPdfBench } from './pdf-bench';
import { enrollDevices, startKatServer } from './kat-server';
import type { DeviceArgs } from './page/sync-bench';
import { type PouchServer, startPouchServer } from './pouch-server';
import { writeBenchSection } from './readme-section';
import { type Row, markdownTable, ms, profileText, times } from './report';
import { unlockRows } from './unlock-rows';
import { buildBase, buildWeb, renderBench, renderRows } from './render';
import { type SyncBase, openSyncBase } from './sync-base';
import { type JoinPullFigures, joinOnlyMain, joinPullBench, joinPullRow } from './join-pull';

const small = process.argv.includes('--small');
/** A full run rewrites the README's marked bench section unless told not to. */
const writeReadme = !small && !process.argv.includes('--no-readme');
/** Only the re-seal row (about 3 minutes at full size): writes results/reseal.{md,json}. */
const resealOnly = process.argv.includes('--reseal-only');
/** Only the render benchmarks (the built app in Chromium): writes results/render.{md,json}. */
const renderOnly = process.argv.includes('--render-only') || process.argv.includes('render');
/** Only the sync runs (ours, PouchDB, raw Dexie): writes results/sync.{md,json}. */
const syncOnly = process.argv.includes('sync');
/** Only the app's heap after a new computer's initial pull: writes results/join.{md,json}. */
const joinOnly = process.argv.includes('--join-only') || process.argv.includes('join');
/** Records the new computer of the join-pull row pulls (about: whole demo patients). */
const JOIN_RECORDS = small ? 2_000 : 10_000;
/** Demo clinic sizes for the render benchmarks, and runs per size. */
const RENDER_SIZES = process.env.BENCH_RENDER_SIZES
  ? process.env.BENCH_RENDER_SIZES.split(',').map(Number)
  : small
    ? [25, 250]
    : [250, 2_000];
const RENDER_RUNS = small ? 3 : 5;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Records per sync run: the goal's size, and a quarter of it for the growth factor. */
const SIZES = process.env.BENCH_SYNC_SIZES
  ? process.env.BENCH_SYNC_SIZES.split(',').map(Number)
  : small
    ? [500, 2_000]
    : [2_500, 10_000];
const CLINIC_PATIENTS = small ? 100 : 2_000;
const INGEST_BUNDLES = small ? 1_500 : 6_000;
const SEARCH_PATIENTS: [number, number] = small ? [100, 400] : [500, 2_000];

type SyncFigures = {
  records: number;
  jsonBytes: number;
  oursPush: number;
  oursPull: number;
  /** Writer-signature checks of the same changes (digest, key import, ECDSA verify), apart. */
  authorVerify: number;
  pouchPush: number;
  pouchPull: number;
  raw: number;
  /** Every run's figure (the ones above are their medians). */
  runs: Record<string, number[]>;
  heapMbAfterPull: number;
  /** Functions with the most self time (ms) in each profiled run. */
  profiles: Record<string, [string, number][]>;
};

const log = (m: string) => console.info(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
const plain = ({ serverUrl, deviceId, token, pkcs8, admin, epoch }: DeviceArgs): DeviceArgs => ({
  serverUrl,
  deviceId,
  token,
  pkcs8,
  admin,
  epoch,
});

/**
 * Each sync figure is the median of REPEATS runs; the runs of ours, PouchDB and raw alternate, so
 * a slow spell of this shared machine falls on all three alike rather than on one of them.
 */
const REPEATS = Number(process.env.BENCH_SYNC_REPEATS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function syncAtSize(
  b: BenchBrowser,
  pouch: PouchServer,
  size: number,
  keyB64: string,
  base?: SyncBase,
): Promise<SyncFigures> {
  const patients = Math.ceil(size / 60);
  const records = await b.call('prepare', patients, size, keyB64);
  if (base && (await base.page.call('prepare', patients, size, keyB64)) !== records)
    throw new Error(`${base.ref} generated another number of records`);
  const jsonBytes = countRecords(await benchRecords(patients, size)).jsonBytes;
  const runs = {
    oursPush: [],
    oursPull: [],
    authorVerify: [],
    pouchPush: [],
    pouchPull: [],
    raw: [],
  } as Record<
    'oursPush' | 'oursPull' | 'authorVerify' | 'pouchPush' | 'pouchPull' | 'raw',
    number[]
  > &
    Partial<Record<'basePush' | 'basePull', number[]>>;
  let heap = 0;
  let profiles: Record<string, [string, number][]> = {};
  for (let run = 1; run <= REPEATS; run++) {
    if (base) {
      log(`${records} records, run ${run} of ${REPEATS}: ${base.ref}`);
      const kat = await base.startServer();
      try {
        const { admin, devices } = await base.enroll(kat.url, 1);
        const push = await base.page.profile(() => base.page.call('oursPush', plain(admin)));
        const pull = await base.page.profile(() => base.page.call('oursPull', plain(devices[0]!)));
        (runs.basePush ??= []).push(push.value);
        (runs.basePull ??= []).push(pull.value);
        profiles = { ...profiles, basePush: push.top, basePull: pull.top };
      } finally {
        await kat.close();
      }
    }
    log(
      `${records} records (${(jsonBytes / 1e6).toFixed(1)} MB JSON), run ${run} of ${REPEATS}: ours`,
    );
    // A fresh server each run: every push starts from an empty clinic, every pull gets the same.
    const kat = await startKatServer();
    try {
      const { admin, devices } = await enrollDevices(kat.url, 1);
      const push = await b.profile(() => b.call('oursPush', plain(admin)));
      const pull = await b.profile(() => b.call('oursPull', plain(devices[0]!)));
      runs.oursPush.push(push.value);
      runs.oursPull.push(pull.value);
      // Issue 13: one writer-signature check per incoming change, right after the pull it adds to.
      const verify = await b.profile(() => b.call('authorVerify'));
      runs.authorVerify.push(verify.value);
      profiles = { ...profiles, oursPush: push.top, oursPull: pull.top, authorVerify: verify.top };
      heap = await b.heapMb();
    } finally {
      await kat.close();
    }
    log('PouchDB');
    const db = `${pouch.url}/bench-${size}-${Date.now()}`;
    // Created up front: PouchDB's own create-if-missing races itself on a fresh memory server.
    const created = await fetch(db, { method: 'PUT' });
    if (!created.ok) throw new Error(`express-pouchdb refused to create ${db}: ${created.status}`);
    // Profiled too, so every sync figure carries the same (small) sampling overhead.
    const push = await b.profile(() => b.call('pouchPush', db));
    const pull = await b.profile(() => b.call('pouchPull', db));
    runs.pouchPush.push(push.value);
    runs.pouchPull.push(pull.value);
    profiles = { ...profiles, pouchPush: push.top, pouchPull: pull.top };
    log('raw Dexie bulkPut');
    runs.raw.push((await b.profile(() => b.call('rawBulkPut'))).value);
  }
  return {
    records,
    jsonBytes,
    oursPush: median(runs.oursPush),
    oursPull: median(runs.oursPull),
    authorVerify: median(runs.authorVerify),
    pouchPush: median(runs.pouchPush),
    pouchPull: median(runs.pouchPull),
    raw: median(runs.raw),
    runs,
    heapMbAfterPull: heap,
    profiles,
  };
}

function syncRows(big: SyncFigures, little: SyncFigures): Row[] {
  const n = `${big.records.toLocaleString('en-US')} mixed records`;
  const growth = (a: number, b: number) => times(a / b);
  const scale = big.records / little.records;
  return [
    row(
      `initial pull of ${n} (vs PouchDB from express-pouchdb; median of ${REPEATS} runs)`,
      big.oursPull,
      big.pouchPull,
      big.pouchPull / big.oursPull,
      '≥ 6× faster',
      (r) => r >= 6,
    ),
    row(
      `initial push of ${n} (vs PouchDB to express-pouchdb; median of ${REPEATS} runs)`,
      big.oursPush,
      big.pouchPush,
      big.pouchPush / big.oursPush,
      '≥ 4× faster',
      (r) => r >= 4,
    ),
    row(
      `initial pull of ${n} (vs raw Dexie bulkPut; median of ${REPEATS} runs)`,
      big.oursPull,
      big.raw,
      big.oursPull / big.raw,
      '≤ 1.4× raw time',
      (r) => r <= 1.4,
    ),
    {
      // Per run: (pull + checks) / pull, both timed in that run; the median of those ratios.
      benchmark: `initial pull of ${n} with each change's writer signature checked (digest, chain key import, ECDSA P-256 verify: ${ms(big.authorVerify)} for ${big.records.toLocaleString('en-US')}, ${((1000 * big.authorVerify) / big.records).toFixed(0)} µs each), vs the same pull without (timed apart in the same runs, added; median of ${REPEATS})`,
      ours: ms(big.oursPull + big.authorVerify),
      baseline: ms(big.oursPull),
      ratio: times(median(big.runs.oursPull!.map((p, i) => (p + big.runs.authorVerify![i]!) / p))),
      goal: 'reported',
      met: null,
    },
    {
      benchmark: `growth ${little.records.toLocaleString('en-US')} → ${big.records.toLocaleString('en-US')} records (${times(scale)}): pull / push / raw`,
      ours: `${growth(big.oursPull, little.oursPull)} / ${growth(big.oursPush, little.oursPush)} / ${growth(big.raw, little.raw)}`,
      baseline: `PouchDB ${growth(big.pouchPull, little.pouchPull)} / ${growth(big.pouchPush, little.pouchPush)}`,
      ratio: '',
      goal: 'reported',
      met: null,
    },
    {
      // The bench page, not the app: the app's own heap is the render rows' (after sign-in).
      benchmark: `JS heap of the bench page (sync engine, Dexie and PouchDB bundled; not the app, no React tree) after pulling ${n}, after garbage collection`,
      ours: `${big.heapMbAfterPull.toFixed(0)} MB`,
      baseline: '—',
      ratio: '',
      goal: '< 150 MB',
      met: big.heapMbAfterPull < 150,
    },
  ];
}

/** Before → after: the base's push and pull against this tree's, and each against PouchDB. */
function baseRows(f: SyncFigures, ref: string): Row[] {
  const n = `${f.records.toLocaleString('en-US')} mixed records`;
  const before = { push: median(f.runs.basePush!), pull: median(f.runs.basePull!) };
  return (['pull', 'push'] as const).map((what) => {
    const after = what === 'pull' ? f.oursPull : f.oursPush;
    const pouch = what === 'pull' ? f.pouchPull : f.pouchPush;
    return {
      benchmark: `initial ${what} of ${n}: ${ref} → this tree (same runs, alternating; median of ${REPEATS}); vs PouchDB before → after`,
      ours: ms(after),
      baseline: ms(before[what]),
      ratio: `${times(before[what] / after)} (PouchDB ${times(pouch / before[what])} → ${times(pouch / after)})`,
      goal: 'reported',
      met: null,
    };
  });
}

function row(
  benchmark: string,
  ours: number,
  baseline: number,
  ratio: number,
  goal: string,
  ok: (r: number) => boolean,
): Row {
  return {
    benchmark,
    ours: ms(ours),
    baseline: ms(baseline),
    ratio: times(ratio),
    goal,
    met: ok(ratio),
  };
}

async function ingestRows(): Promise<{ rows: Row[]; raw: unknown[] }> {
  const records = await benchRecords(5);
  const rows: Row[] = [];
  const raw: unknown[] = [];
  for (const [name, url] of [
    ['embedded store', undefined],
    ['PostgreSQL', PG_URL],
  ] as const) {
    log(`server ingest, ${name}`);
    const kat = await startKatServer(url).catch((e: Error) => e);
    if (kat instanceof Error) {
      rows.push({
        benchmark: `server ingest, ${name}`,
        ours: 'not run',
        baseline: '—',
        ratio: '',
        goal: '≥ 1,000 bundles/s',
        met: null,
      });
      raw.push({ name, error: kat.message });
      continue;
    }
    try {
      const r = await ingest(kat.url, records, INGEST_BUNDLES);
      raw.push({ name, ...r });
      rows.push({
        benchmark: `server ingest, ${name} (autocannon, 16 connections, ${r.bundles.toLocaleString('en-US')} one-record bundles)`,
        ours: `${Math.round(r.perSecond).toLocaleString('en-US')} bundles/s (p99 ${r.p99Ms} ms${r.failed ? `, ${r.failed} failed` : ''})`,
        baseline: '—',
        ratio: '',
        goal: '≥ 1,000 bundles/s',
        met: r.failed === 0 && r.perSecond >= 1_000,
      });
    } finally {
      await kat.close();
    }
  }
  return { rows, raw };
}

/** Re-sealing the whole clinic at rest after a key rotation (issue 13 point 5). */
async function resealRow(b: BenchBrowser): Promise<{ row: Row; raw: unknown }> {
  log(`re-seal at rest of the ${CLINIC_PATIENTS}-patient clinic`);
  const r = await b.call('resealClinic', CLINIC_PATIENTS);
  return {
    raw: r,
    row: {
      benchmark: `re-seal at rest after a key rotation: ${r.records.toLocaleString('en-US')} records (${(r.jsonBytes / 1e6).toFixed(0)} MB JSON, ${r.patients.toLocaleString('en-US')} patients) moved to the new version in ${r.batches} batches of ${r.batchSize}; longest main-thread hold (10 ms probe) ${ms(r.maxGapMs)}, p99 ${ms(r.p99GapMs)}`,
      ours: `${ms(r.ms)} (${Math.round(r.records / (r.ms / 1000)).toLocaleString('en-US')} records/s)`,
      baseline: '—',
      ratio: '',
      goal: 'reported; no hold ≥ 200 ms',
      met: r.maxGapMs < 200,
    },
  };
}

async function resealOnlyMain() {
  const b = await openBenchPage();
  try {
    const { row: r, raw } = await resealRow(b);
    const md = markdownTable([r]);
    mkdirSync('tests/bench/results', { recursive: true });
    writeFileSync('tests/bench/results/reseal.md', `${md}\n`);
    writeFileSync('tests/bench/results/reseal.json', JSON.stringify(raw, null, 2));
    console.info(`\n${md}`);
  } finally {
    await b.close();
  }
}

async function renderSection(
  kdfMs?: number,
  web = buildWeb(log),
): Promise<{ rows: Row[]; raw: unknown }> {
  // BENCH_BASE=<git ref>: that commit's build too, measured in the same runs (before → after).
  const base = process.env.BENCH_BASE ? buildBase(process.env.BENCH_BASE, log) : undefined;
  try {
    const r = await renderBench({
      sizes: RENDER_SIZES,
      runs: RENDER_RUNS,
      log,
      dir: web.dir,
      base,
    });
    return { rows: renderRows(r.figures, r.js, kdfMs, r.base), raw: r };
  } finally {
    web.cleanup();
    base?.cleanup();
  }
}

async function renderOnlyMain() {
  const load = () => loadavg()[0]!.toFixed(1);
  const at = load();
  const { rows, raw } = await renderSection();
  const md = `# KAT Chart render benchmarks (${new Date().toISOString()}, load average ${at} → ${load()} on ${cpus().length} cores)\n\n${markdownTable(rows)}\n`;
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/render.md', md);
  writeFileSync('tests/bench/results/render.json', JSON.stringify(raw, null, 2));
  console.info(`\n${md}`);
}

async function syncOnlyMain() {
  const load = () => loadavg()[0]!.toFixed(1);
  const at = load();
  const key = toBase64(crypto.getRandomValues(new Uint8Array(32)));
  const b = await openBenchPage();
  const pouch = await startPouchServer();
  const base = process.env.BENCH_BASE ? await openSyncBase(process.env.BENCH_BASE, log) : undefined;
  const sync: SyncFigures[] = [];
  try {
    for (const size of SIZES) sync.push(await syncAtSize(b, pouch, size, key, base));
  } finally {
    await b.close();
    await pouch.close();
    await base?.close();
  }
  const rows = syncRows(sync.at(-1)!, sync[0]!);
  if (base) rows.push(...baseRows(sync.at(-1)!, base.ref));
  const perRun = sync
    .map(
      (f) =>
        `- ${f.records} records, every run (ms): ${JSON.stringify(f.runs, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
    )
    .join('\n');
  const baseTop = ['basePull', 'basePush']
    .filter((k) => sync.at(-1)!.profiles[k])
    .map(
      (k) =>
        `- ${k}: ${sync
          .at(-1)!
          .profiles[k]!.map(([fn, t]) => `${fn} ${t} ms`)
          .join('; ')}`,
    )
    .join('\n');
  const md = `# KAT Chart sync benchmarks (${new Date().toISOString()}, load average ${at} → ${load()} on ${cpus().length} cores)\n\n${markdownTable(rows)}\n\n${perRun}\n\n${profileText(sync.at(-1))}${baseTop}\n`;
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/sync.md', md);
  writeFileSync('tests/bench/results/sync.json', JSON.stringify(sync, null, 2));
  console.info(`\n${md}`);
}

async function main() {
  if (resealOnly) return resealOnlyMain();
  if (syncOnly) return syncOnlyMain();
  if (renderOnly) return renderOnlyMain();
  if (joinOnly) {
    const web = buildWeb(log);
    try {
      return await joinOnlyMain({ dir: web.dir, target: JOIN_RECORDS, log });
    } finally {
      web.cleanup();
    }
  }
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  log(`${small ? 'small' : 'full'} run; counting the ${CLINIC_PATIENTS}-patient clinic`);
  const all = await benchRecords(CLINIC_PATIENTS);
  const clinic = { ...countRecords(all), 'audit-event': benchAuditEvents(all).length };
  const key = toBase64(crypto.getRandomValues(new Uint8Array(32)));
  const b = await openBenchPage();
  const pouch = await startPouchServer();
  const rows: Row[] = [];
  let unlock: unknown;
  let reseal: unknown;
  const sync: SyncFigures[] = [];
  let crypto_: Awaited<ReturnType<BenchBrowser['call']>> | undefined;
  try {
    for (const size of SIZES) sync.push(await syncAtSize(b, pouch, size, key));
    rows.push(...syncRows(sync[1]!, sync[0]!));
    log('bundle encrypt path');
    const c = await b.call('encryptPath');
    crypto_ = c;
    rows.push({
      benchmark: `bundle encrypt path without compression: header, AES-256-GCM seal, frame, ECDSA sign of a 500-record payload (${(c.payloadBytes / 1e6).toFixed(2)} MB; ECDSA sign alone ${c.signMs.toFixed(1)} ms; the whole encodeBundle ${c.encodeMs.toFixed(1)} ms, of which JSON ${c.serializeMs.toFixed(1)} and deflate ${c.deflateMs.toFixed(1)})`,
      ours: `${c.oursMBs.toFixed(0)} MB/s`,
      baseline: `${c.rawMBs.toFixed(0)} MB/s raw AES-256-GCM`,
      ratio: `${((100 * c.oursMBs) / c.rawMBs).toFixed(0)} % of raw`,
      goal: '≥ 50 % of raw',
      met: c.oursMBs / c.rawMBs >= 0.5,
    });
    await b.call('release');
    log(`sign-in and patient search at ${SEARCH_PATIENTS.join(' and ')} patients`);
    const u = await unlockRows(b, SEARCH_PATIENTS);
    rows.push(...u.rows);
    unlock = u.raw;
    const rs = await resealRow(b);
    rows.push(rs.row);
    reseal = rs.raw;
  } finally {
    await b.close();
    await pouch.close();
  }
  log(`render: the built app at ${RENDER_SIZES.join(' and ')} patients`);
  // One build for the render rows and the join-pull row, removed after both.
  const web = buildWeb(log);
  let render: Awaited<ReturnType<typeof renderSection>>;
  let join: JoinPullFigures;
  try {
    render = await renderSection(
      (unlock as [unknown, { kdfMs?: number }] | undefined)?.[1]?.kdfMs,
      { dir: web.dir, cleanup: () => {} },
    );
    rows.push(...render.rows);
    log(`join: a new computer's initial pull of ${JOIN_RECORDS.toLocaleString('en-US')} records`);
    join = await joinPullBench({ dir: web.dir, target: JOIN_RECORDS, log });
    rows.push(joinPullRow(join));
  } finally {
    web.cleanup();
  }
  const ing = await ingestRows();
  rows.push(...ing.rows);
  log('consent packet PDF');
  const pdf = await consentPdfBench(small ? 3 : 7);
  rows.push({
    benchmark: `consent packet PDF in Node: ${pdf.pages} pages, ${pdf.forms} forms, ${pdf.signatures} drawn signatures (median)`,
    ours: ms(pdf.medianMs),
    baseline: '—',
    ratio: '',
    goal: '< 150 ms (8 pages, 3 signatures)',
    met: pdf.medianMs < 150,
  });
  const table = markdownTable(rows);
  const seconds = Math.round((Date.now() - started) / 1000);
  const load = `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  const md = `# KAT Chart benchmarks (${small ? 'small' : 'full'} run, ${new Date().toISOString()}, ${seconds} s, ${load})\n\n${table}\n\nClinic generated: ${JSON.stringify(clinic)}\n\n${profileText(sync.at(-1))}`;
  mkdirSync('tests/bench/results', { recursive: true });
  // latest.* is whichever ran last; small.* and full.* keep the last run of each size.
  const run = small ? 'small' : 'full';
  writeFileSync('tests/bench/results/latest.md', md);
  writeFileSync(`tests/bench/results/${run}.md`, md);
  const json = JSON.stringify(
    {
      run,
      at: new Date().toISOString(),
      seconds,
      clinic,
      sync,
      crypto: crypto_,
      unlock,
      reseal,
      render: render.raw,
      join,
      ingest: ing.raw,
      pdf,
      rows,
    },
    null,
    2,
  );
  writeFileSync('tests/bench/results/latest.json', json);
  writeFileSync(`tests/bench/results/${run}.json`, json);
  if (writeReadme) {
    const body = `Latest full run (${new Date().toISOString().slice(0, 10)}, ${seconds} s, ${load}; read ratios rather than absolute times):\n\n${table}`;
    const r = writeBenchSection(readFileSync('README.md', 'utf8'), body);
    if (r.ok) writeFileSync('README.md', r.text);
    else console.error(`README.md not updated: ${r.why}`);
  }

  console.info(`\n${md}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
