/**
 * The real `server/main.ts` as a child process on a free loopback port, for the suites that play
 * an adversary or an operator against the server as it runs in a clinic: any environment, any
 * options, its output kept for assertions and failure messages.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export type RunningServer = {
  url: string;
  port: number;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `server/main.ts` with these options to its end (for --check and other one-shot options).
 * The embedded store unless `env` names a database, as `startRunningServer`: CI exports
 * DATABASE_URL for the PostgreSQL tests, and a command run against another store than the server
 * it prepares changes nothing that server reads.
 */
export async function runServerCommand(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { code, output };
}

export async function startRunningServer(
  env: Record<string, string>,
  args: string[] = [],
  /** The same port again after a restart, so devices find it where they left it. */
  at?: number,
): Promise<RunningServer> {
  const port = at ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
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
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
