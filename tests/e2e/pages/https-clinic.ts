import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { request } from 'node:https';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeScratch, stopProcessGroup } from './process-group';

/**
 * The clinic server as root README "Set up sync for your clinic" sets it up, on loopback: the
 * real server with the settings of server/deploy/server.env.example (its data folder and port
 * moved to a scratch folder), behind Caddy with server/deploy/Caddyfile.private, its own
 * certificate authority made in a scratch folder (never the machine's, never a public CA), and a
 * browser home whose NSS database trusts that authority, as an office computer would after the
 * clinic certificate is installed on it.
 */
export type HttpsClinic = {
  /** The address the app is given: https://localhost:<port>, through Caddy. */
  url: string;
  /** Read from the setup-token file, as the README says. */
  setupToken: string;
  /** A HOME whose NSS database trusts Caddy's root: launch the browser with it. */
  browserHome: string;
  /** Caddy again on the same address with a new authority: the certificate "changes". */
  replaceCertificate(): Promise<void>;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function settingsFromExample(): Record<string, string> {
  const text = readFileSync('server/deploy/server.env.example', 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 240; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within a minute`);
}

function httpsOk(url: string, ca: Buffer): Promise<true | undefined> {
  return new Promise((resolve) => {
    const req = request(`${url}/v1/health`, { ca, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : undefined);
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

export async function startHttpsClinic(): Promise<HttpsClinic> {
  const scratch = mkdtempSync(join(tmpdir(), 'kat-e2e-https-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => stopProcessGroup(c)));
    removeScratch(scratch);
  };
  try {
    const serverPort = await freePort();
    const dataDir = join(scratch, 'kat-chart');
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        ...settingsFromExample(),
        CLINIC_DATA_DIR: dataDir,
        PORT: String(serverPort),
        DATABASE_URL: '', // the embedded store, whatever CI sets for the PostgreSQL suites
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
      detached: true,
    });
    children.push(server);
    const tokenFile = join(dataDir, 'setup-token.txt');
    const setupToken = await until('the setup-token file', async () =>
      existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() || undefined : undefined,
    );

    const httpsPort = await freePort();
    const url = `https://localhost:${httpsPort}`;
    let generation = 0;
    const startCaddy = async () => {
      const home = join(scratch, `caddy-${generation++}`);
      mkdirSync(home, { recursive: true });
      const caddy = spawn(
        'caddy',
        ['run', '--config', 'server/deploy/Caddyfile.private', '--adapter', 'caddyfile'],
        {
          env: {
            ...process.env,
            HOME: home,
            XDG_DATA_HOME: join(home, 'data'),
            XDG_CONFIG_HOME: join(home, 'config'),
            KAT_SERVER_NAMES: url,
            KAT_UPSTREAM: `127.0.0.1:${serverPort}`,
            KAT_CADDY_ADMIN: 'off',
            KAT_CADDY_HTTP_PORT: String(await freePort()),
            KAT_CADDY_HTTPS_PORT: String(httpsPort),
          },
          stdio: 'ignore',
          detached: true,
        },
      );
      children.push(caddy);
      const rootCert = join(home, 'data/caddy/pki/authorities/local/root.crt');
      const ca = await until('Caddy’s certificate authority', async () =>
        existsSync(rootCert) ? readFileSync(rootCert) : undefined,
      );
      await until('the server answering through Caddy', () => httpsOk(url, ca));
      return { caddy, rootCert };
    };
    let current = await startCaddy();

    // An office computer that installed the clinic certificate: Chromium on Linux reads trusted
    // roots from the NSS database in $HOME/.pki/nssdb.
    const browserHome = join(scratch, 'browser-home');
    const nss = `sql:${join(browserHome, '.pki/nssdb')}`;
    mkdirSync(join(browserHome, '.pki/nssdb'), { recursive: true });
    execFileSync('certutil', ['-d', nss, '-N', '--empty-password']);
    execFileSync('certutil', [
      '-d',
      nss,
      '-A',
      '-t',
      'C,,',
      '-n',
      'Clinic',
      '-i',
      current.rootCert,
    ]);

    return {
      url,
      setupToken,
      browserHome,
      async replaceCertificate() {
        await stopProcessGroup(current.caddy);
        current = await startCaddy();
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
