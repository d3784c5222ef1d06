/**
 * `BENCH_BASE=<git ref> npm run bench -- sync`: that commit's sync engine and clinic server as
 * well, run in the same runs as this tree's (before → after, alternating), each with its own bench
 * page and its own server, so what the harness measures and what the product does both come from
 * the commit named. PouchDB and raw Dexie are measured once per run, from this tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchBrowser, openBenchPage } from './browser';

type KatServerModule = typeof import('./kat-server');

export type SyncBase = {
  ref: string;
  page: BenchBrowser;
  /** Its own server (started in its tree) with its own enrollment, as its bench did it. */
  startServer: () => ReturnType<KatServerModule['startKatServer']>;
  enroll: KatServerModule['enrollDevices'];
  close: () => Promise<void>;
};

export async function openSyncBase(ref: string, log: (m: string) => void): Promise<SyncBase> {
  const sha = spawnSync('git', ['rev-parse', '--short', ref], { encoding: 'utf8' }).stdout.trim();
  const src = mkdtempSync(join(tmpdir(), 'kat-bench-sync-base-'));
  log(`checking out ${ref} (${sha}) for comparison`);
  const tar = spawnSync('sh', ['-c', `git archive "${sha}" | tar -x -C "${src}"`]);
  if (tar.status !== 0 || !sha) throw new Error(`cannot check out ${ref}`);
  symlinkSync(resolve('node_modules'), join(src, 'node_modules'));
  const kat = (await import(
    pathToFileURL(join(src, 'tests/bench/kat-server.ts')).href
  )) as KatServerModule;
  const page = await openBenchPage(src);
  return {
    ref: `${ref} (${sha})`,
    page,
    // Its startKatServer spawns `server/main.ts` relative to the working folder.
    startServer: async () => {
      const here = process.cwd();
      process.chdir(src);
      try {
        return await kat.startKatServer();
      } finally {
        process.chdir(here);
      }
    },
    enroll: kat.enrollDevices,
    close: async () => {
      await page.close();
      rmSync(src, { recursive: true, force: true });
    },
  };
}
