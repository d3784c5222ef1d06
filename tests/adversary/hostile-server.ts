/**
 * The clinic server as an adversary (THREATS.md, "the server, or whoever took it over"): the real
 * `server/main.ts` as a child process, behind a proxy that can rewrite, replay, withhold or inject
 * any answer. Computers talk to the proxy's address and run their ordinary code; a test installs
 * rules (`on`) saying which requests the adversary touches and how. Raw API calls with a device's
 * token (a stolen token) go to `server.url` directly or through the proxy.
 *
 * Reusable: i14 and i19 may build on it (see /work/coord/notes.md).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ADVERSARY_SETUP_TOKEN = 'adversary-setup-token-0123456789';

export type Upstream = { status: number; headers: Record<string, string>; body: Buffer };

export type Exchange = {
  method: string;
  /** Path with query, e.g. `/v1/key-blobs` or `/v1/bundles?after=0&limit=500`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Sends the request on to the real server and returns its answer (the handler may change it). */
  forward: () => Promise<Upstream>;
};

/**
 * A rule: when `match` holds, `handle` answers instead of (or after changing) the server. Several
 * rules may match one request: they nest, the first installed outermost.
 */
export type Rule = {
  match: (method: string, url: string) => boolean;
  handle: (x: Exchange) => Promise<Upstream>;
  /** Apply only this many times (then the rule is gone); default: until removed. */
  times?: number;
};

export type HostileServer = {
  /** Where computers point: the adversary's proxy. */
  url: string;
  /** The real server, for raw calls that bypass the proxy. */
  serverUrl: string;
  setupToken: string;
  /** Installs a rule; returns a function that removes it. */
  on: (rule: Rule) => () => void;
  /** Every answer seen, newest last (for replays). */
  log: { method: string; url: string; answer: Upstream }[];
  close: () => Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startRealServer(): Promise<{
  url: string;
  child: ChildProcessWithoutNullStreams;
  dir: string;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'kat-adversary-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      CLINIC_DATA_DIR: dir,
      DATABASE_URL: '',
      SETUP_TOKEN: ADVERSARY_SETUP_TOKEN,
      LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!/server ready/.test(out)) {
    if (child.exitCode !== null) throw new Error(`The server exited: ${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, child, dir };
}

const read = (s: NodeJS.ReadableStream) =>
  new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });

export async function startHostileServer(): Promise<HostileServer> {
  const real = await startRealServer();
  const upstream = new URL(real.url);
  const rules: Rule[] = [];
  const log: HostileServer['log'] = [];

  const forwardOf =
    (req: IncomingMessage, body: Buffer): (() => Promise<Upstream>) =>
    () =>
      new Promise((resolve, reject) => {
        const headers = { ...req.headers, host: upstream.host };
        delete headers['content-length'];
        const up = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...headers, 'content-length': String(body.length) },
          },
          async (answer) => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(answer.headers))
              if (typeof v === 'string') h[k] = v;
            resolve({ status: answer.statusCode ?? 502, headers: h, body: await read(answer) });
          },
        );
        up.on('error', reject);
        up.end(body);
      });

  const reply = (res: ServerResponse, a: Upstream) => {
    const headers: Record<string, string> = {
      ...a.headers,
      'content-length': String(a.body.length),
    };
    delete headers['transfer-encoding'];
    res.writeHead(a.status, headers);
    res.end(a.body);
  };

  const proxy = createServer(async (req, res) => {
    try {
      const body = await read(req);
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      // Every matching rule applies, the first outermost: each one's `forward` runs the next.
      const matching = rules.filter((r) => r.match(method, url));
      for (const r of matching)
        if (r.times !== undefined && --r.times <= 0) rules.splice(rules.indexOf(r), 1);
      const run = (i: number): Promise<Upstream> =>
        i < matching.length
          ? matching[i]!.handle({
              method,
              url,
              headers: req.headers,
              body,
              forward: () => run(i + 1),
            })
          : forwardOf(req, body)();
      const answer = await run(0);
      log.push({ method, url, answer });
      reply(res, answer);
    } catch {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serverUrl: real.url,
    setupToken: ADVERSARY_SETUP_TOKEN,
    log,
    on(rule) {
      rules.push(rule);
      return () => {
        const i = rules.indexOf(rule);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      const exited = new Promise((r) => real.child.once('exit', r));
      if (real.child.exitCode === null) real.child.kill('SIGTERM');
      await exited;
      await rm(real.dir, { recursive: true, force: true });
    },
  };
}

/** JSON answers: rewrite the parsed body (the status and other headers stay). */
export function rewriteJson(a: Upstream, change: (json: unknown) => unknown): Upstream {
  const body = Buffer.from(JSON.stringify(change(JSON.parse(a.body.toString('utf8')))));
  return { ...a, body };
}

export const isGet = (path: string) => (method: string, url: string) =>
  method === 'GET' && url.split('?')[0] === path;
