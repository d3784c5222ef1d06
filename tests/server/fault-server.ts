/**
 * The real `server/main.ts` as a child process for the fault-injection suites: start it on a
 * given port and data folder (or PostgreSQL schema), SIGKILL it at a chosen moment, start it
 * again in place. Output is kept for the failure message only.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { SETUP_TOKEN } from '../sync/harness';

export type ServerProcess = {
  url: string;
  port: number;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** SIGKILL: no shutdown hook runs, as when power is lost or the process is OOM-killed. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
};

export async function startServerProcess(opts: {
  port: number;
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  restored?: boolean;
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', ...(opts.restored ? ['--restored'] : [])],
    {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(opts.port),
        SETUP_TOKEN,
        LOG_LEVEL: 'warn',
        CLINIC_DATA_DIR: opts.dataDir ?? '',
        DATABASE_URL: opts.databaseUrl ?? '',
        DATABASE_SCHEMA: opts.schema ?? 'kat',
      },
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  while (!/server ready/.test(out)) {
    if (child.exitCode !== null) throw new Error(`The server exited: ${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    child,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
