/**
 * Fault injection against the real server process (`server/main.ts`, embedded store): the server
 * killed while a bundle is half uploaded, the answer to a committed push lost, and the data folder
 * restored from an older backup. Each time every record still reaches every device, once, and
 * nothing a device wrote is lost (SYNC.md rules 5, 6 and 8; issue 6, "Tests that prove it").
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/util/ids';
import { Device, newClinic } from '../sync/harness';
import { type ServerProcess, startServerProcess } from './fault-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'kat-fault-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(opts: Parameters<typeof startServerProcess>[0]) {
  const server = await startServerProcess(opts);
  cleanups.push(() => server.kill());
  return server;
}

async function devices(server: ServerProcess, names: string[]) {
  const { clinic, enroll } = await newClinic(server.url);
  const out: Device[] = [];
  for (const name of names) out.push(await Device.create(name, clinic, server.url, enroll));
  cleanups.push(async () => {
    for (const d of out) await d.dispose();
  });
  return { out, clinic, enroll };
}

const patientId = uuidv7();
const note = (d: Device, text: string) =>
  d.store.create('note', {
    patientId,
    templateId: 'soap',
    title: 'Session',
    sections: { subjective: text },
    timeline: [],
  });

const texts = async (d: Device) =>
  (await d.store.listKind('note')).map((n) => n.sections.subjective ?? '').sort();

/** Every bundle the server holds for the clinic, as a device pulls them (ids must not repeat). */
async function serverBundles(d: Device) {
  const ids: string[] = [];
  let after = 0;
  for (;;) {
    const page = await d.engine.client().pull(after, 1000);
    ids.push(...page.bundles.map((b) => b.bundleId));
    if (!page.hasMore) return ids;
    after = page.cursor;
  }
}

const isPush = (url: string, init?: RequestInit) =>
  init?.method === 'POST' && url.endsWith('/v1/bundles');

describe('the real server process under faults', () => {
  it('killed halfway through an upload: after a restart the retry stores the bundle once', async () => {
    const dir = await dataDir();
    let server = await start({ port: 8790, dataDir: dir });
    const {
      out: [a, b],
    } = await devices(server, ['laptop', 'frontdesk']);
    for (let i = 0; i < 7; i++) await note(a!, `before the crash ${i}`);
    let cut = false;
    a!.intercept = async (url, init, send) => {
      if (cut || !isPush(url, init)) return send();
      cut = true;
      // Send the headers and half the body on a raw socket, then kill the server: the upload
      // never completes, and the client sees its connection drop.
      const body = init!.body as Uint8Array;
      const headers = new Headers(init!.headers);
      const socket = connect(server.port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.write(
        `POST /v1/bundles HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\n` +
          `authorization: ${headers.get('authorization')}\r\n` +
          `content-type: application/octet-stream\r\ncontent-length: ${body.length}\r\n\r\n`,
      );
      socket.write(body.subarray(0, body.length >> 1));
      await new Promise((r) => setTimeout(r, 200));
      await server.kill();
      socket.destroy();
      throw new TypeError('connection reset');
    };
    expect(await a!.sync()).toBe(false);
    expect(cut).toBe(true);
    // Nothing was acknowledged, so every change still waits on the laptop.
    expect((await a!.db.outbox.toArray()).filter((r) => r.kind === 'note')).toHaveLength(7);

    server = await start({ port: 8790, dataDir: dir });
    await note(a!, 'after the restart');
    expect(await a!.sync()).toBe(true);
    expect(await a!.db.outbox.count()).toBe(0);
    expect(await b!.sync()).toBe(true);
    expect(await texts(b!)).toEqual([
      'after the restart',
      ...Array.from({ length: 7 }, (_, i) => `before the crash ${i}`),
    ]);
    const ids = await serverBundles(b!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await a!.snapshot()).toEqual(await b!.snapshot());
  }, 90_000);

  it('the answer to a committed push is lost: the retry is recognised and stored once', async () => {
    const dir = await dataDir();
    const server = await start({ port: 8791, dataDir: dir });
    const {
      out: [a, b],
    } = await devices(server, ['laptop', 'frontdesk']);
    for (let i = 0; i < 5; i++) await note(a!, `charted ${i}`);
    let lost = 0;
    const sent: string[] = [];
    a!.intercept = async (url, init, send) => {
      const res = await send();
      if (!isPush(url, init)) return res;
      const body = (await res.clone().json()) as { bundleId: string; duplicate?: boolean };
      sent.push(body.bundleId);
      // The server committed and answered; the answer never arrives (twice in a row).
      if (lost++ < 2) throw new TypeError('connection reset after the server committed');
      return res;
    };
    expect(await a!.sync()).toBe(false);
    expect(await a!.sync()).toBe(false);
    expect(await a!.sync()).toBe(true);
    // The same bundle id went up three times; the server holds it once.
    expect(sent[0]).toBe(sent[1]);
    expect(sent[1]).toBe(sent[2]);
    expect(await a!.db.outbox.count()).toBe(0);
    expect(await b!.sync()).toBe(true);
    expect(await texts(b!)).toEqual(Array.from({ length: 5 }, (_, i) => `charted ${i}`));
    const ids = await serverBundles(b!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id === sent[0])).toHaveLength(1);
  }, 90_000);

  it('restored from an older backup: a new epoch, devices re-offer, nothing is lost', async () => {
    const dir = await dataDir();
    const backup = await dataDir();
    let server = await start({ port: 8792, dataDir: dir });
    const {
      out: [a, b],
      clinic,
      enroll,
    } = await devices(server, ['laptop', 'frontdesk']);
    await note(a!, 'Before the backup');
    expect(await a!.sync()).toBe(true);
    const firstEpoch = (await a!.engine.client().health()).epoch;

    // The operator backs the folder up with the server stopped, as server/README.md says.
    await server.stop();
    await cp(dir, backup, { recursive: true });
    server = await start({ port: 8792, dataDir: dir });
    await note(a!, 'After the backup');
    await note(b!, 'Also after the backup');
    for (const d of [a, b, a]) expect(await d!.sync()).toBe(true);

    // Disk lost; the folder comes back from the backup. No --restored flag: the copied folder
    // has new inodes, which alone must start a new epoch.
    await server.kill();
    await rm(dir, { recursive: true, force: true });
    await cp(backup, dir, { recursive: true });
    server = await start({ port: 8792, dataDir: dir });
    expect((await a!.engine.client().health()).epoch).not.toBe(firstEpoch);
    for (const d of [a, b, a, b]) expect(await d!.sync()).toBe(true);

    const c = await Device.create('tablet', clinic, server.url, enroll);
    cleanups.push(() => c.dispose());
    expect(await c.sync()).toBe(true);
    expect(await texts(c)).toEqual([
      'After the backup',
      'Also after the backup',
      'Before the backup',
    ]);
    expect(await c.snapshot()).toEqual(await a!.snapshot());
    expect(await b!.snapshot()).toEqual(await a!.snapshot());
  }, 90_000);
});
