/**
 * A proxy in front of a real clinic sync server that plays the network between computers and the
 * server: it forwards every request unchanged, and on demand
 * - holds uploads (`POST /v1/bundles`) until a given number have arrived, then lets them through
 *   together — computers that come back online at the same moment all upload before any of them
 *   downloads the others' changes (issue 14 finding 0);
 * - goes down (every request answered 502, as a reverse proxy does while the server is away),
 *   and comes back (issue 14 point 7: recovery after an outage).
 * It never changes a byte: the engines and the server run their ordinary code.
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export type NetworkGate = {
  url: string;
  /** The next `count` uploads wait for each other, then all go on at once. */
  holdUploads: (count: number) => void;
  /** How many uploads are waiting at the gate now. */
  waitingUploads: () => number;
  /** While down, every request is answered 502 without reaching the server. */
  setDown: (down: boolean) => void;
  close: () => Promise<void>;
};

export async function startNetworkGate(target: string): Promise<NetworkGate> {
  const upstream = new URL(target);
  let hold = 0;
  let down = false;
  const waiting: (() => void)[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };

  const server = createServer((req, res) => {
    if (down) {
      req.resume();
      res.writeHead(502, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
      res.end('Bad gateway');
      return;
    }
    if (hold > 0 && req.method === 'POST' && req.url?.startsWith('/v1/bundles')) {
      waiting.push(() => forward(req, res));
      if (waiting.length >= hold) {
        hold = 0;
        for (const go of waiting.splice(0)) go();
      }
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    holdUploads: (count) => {
      hold = count;
    },
    waitingUploads: () => waiting.length,
    setDown: (d) => {
      down = d;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const go of waiting.splice(0)) go();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
