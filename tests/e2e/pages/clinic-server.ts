import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeScratch, stopProcessGroup } from './process-group';

/**
 * A real clinic sync server (`server/main.ts`) on a free loopback port with its data in a temp
 * folder, for specs where two browser contexts are two computers of one clinic. The server
 * answers CORS for loopback origins, so the browser reaches it directly.
 */
export type ClinicServer = { url: string; setupToken: string; stop: () => Promise<void> };

export async function startClinicServer(): Promise<ClinicServer> {
  const setupToken = 'e2e-setup-token-charting-0123456789';
  const dataDir = mkdtempSync(join(tmpdir(), 'kat-e2e-charting-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      CLINIC_DATA_DIR: dataDir,
      SETUP_TOKEN: setupToken,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '', // the embedded store, whatever CI sets for the PostgreSQL suites
    },
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  /** Stops the server and waits until its whole process group is gone before removing its data
   * (a server still writing its journal made the removal fail with ENOTEMPTY). */
  const stop = async () => {
    await stopProcessGroup(child);
    removeScratch(dataDir);
  };
  try {
    await waitForHealth(url);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, setupToken, stop };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('The clinic sync server did not start');
}
