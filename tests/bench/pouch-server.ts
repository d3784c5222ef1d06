/**
 * The peer's server: express-pouchdb on PouchDB 9 with the memory adapter (keeps nothing), on
 * loopback. CORS is answered here so the bench page (another port) can replicate as a browser
 * would against a CouchDB configured for it.
 */
import type { Server } from 'node:http';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchCore from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';

export type PouchServer = { url: string; close: () => Promise<void> };

export async function startPouchServer(): Promise<PouchServer> {
  const MemPouch = PouchCore.plugin(memoryAdapter).defaults({ adapter: 'memory' });
  const app = express();
  app.use(
    (
      req: { method: string; headers: Record<string, string> },
      res: CorsResponse,
      next: () => void,
    ) => {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, HEAD, DELETE');
      res.setHeader(
        'Access-Control-Allow-Headers',
        'accept, authorization, content-type, origin, referer',
      );
      if (req.method === 'OPTIONS') res.status(204).end();
      else next();
    },
  );
  app.use('/', expressPouchDB(MemPouch, { mode: 'minimumForPouchDB', logPath: '/dev/null' }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type CorsResponse = {
  setHeader: (name: string, value: string) => void;
  status: (code: number) => { end: () => void };
};
