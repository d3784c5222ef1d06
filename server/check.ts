/**
 * `npm run server -- --check`: are these settings usable? Checks what would stop the server at
 * start — the settings themselves, the store (the data folder can be written, or PostgreSQL
 * answers), where the setup token goes, the listening address — without starting it, taking the
 * data folder's lock or changing anything. The service unit runs it before every start, so a
 * mistake in /etc/kat-chart/server.env is named in the journal in one sentence.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import type { ServerConfig } from './config';

export type CheckResult = { ok: boolean; lines: string[] };

/** The nearest folder that exists at or above `path`, and whether this user may write in it. */
async function writableFolder(path: string): Promise<{ at: string; exists: boolean }> {
  let at = resolve(path);
  let exists = true;
  for (;;) {
    try {
      if (!(await stat(at)).isDirectory()) throw new Error(`${at} is a file, not a folder.`);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      exists = false;
      at = dirname(at);
    }
  }
  try {
    await access(at, constants.W_OK | constants.X_OK);
  } catch {
    throw new Error(`This user cannot write in ${at}.`);
  }
  return { at, exists };
}

async function checkPostgres(url: string, schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const r = await client.query<{ db: string; has: boolean }>(
      `SELECT current_database() AS db,
              EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS has`,
      [schema],
    );
    const row = r.rows[0]!;
    return `PostgreSQL answers (database ${row.db}; schema ${schema} ${row.has ? 'exists' : 'will be created at start'}).`;
  } catch (e) {
    throw new Error(
      `PostgreSQL at DATABASE_URL cannot be used: ${(e as Error).message}. Check the address, ` +
        'the user and that the database exists.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkListen(host: string, port: number): Promise<string> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        done(`Port ${port} on ${host} is in use now (by a running server, or another program).`);
      else if (e.code === 'EACCES')
        fail(new Error(`This user may not listen on port ${port}; use a port above 1023.`));
      else fail(new Error(`Cannot listen on ${host}:${port} (${e.code}). Check HOST and PORT.`));
    });
    probe.listen(port, host, () => probe.close(() => done(`Can listen on ${host}:${port}.`)));
  });
}

export async function checkSettings(config: ServerConfig): Promise<CheckResult> {
  const lines: string[] = [];
  let ok = true;
  const step = async (what: () => Promise<string>) => {
    try {
      lines.push(`ok    ${await what()}`);
    } catch (e) {
      ok = false;
      lines.push(`FAIL  ${(e as Error).message}`);
    }
  };
  await step(async () => {
    Fastify({ trustProxy: config.trustProxy });
    return `Settings read (TRUST_PROXY ${JSON.stringify(config.trustProxy)}, log level ${config.logLevel}).`;
  });
  if (config.databaseUrl)
    await step(() => checkPostgres(config.databaseUrl!, config.databaseSchema));
  else
    await step(async () => {
      const { at, exists } = await writableFolder(config.dataDir);
      return exists
        ? `Data folder ${at} can be written.`
        : `Data folder ${resolve(config.dataDir)} will be created in ${at}.`;
    });
  await step(async () => {
    const { at } = await writableFolder(dirname(config.setupTokenFile));
    return `The setup token will be written to ${resolve(config.setupTokenFile)} (in ${at}).`;
  });
  await step(() => checkListen(config.host, config.port));
  lines.push(
    ok ? 'The settings are usable.' : 'The settings are NOT usable: fix the lines marked FAIL.',
  );
  return { ok, lines };
}
