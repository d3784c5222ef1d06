import { afterEach, describe, expect, it } from 'vitest';
import type { AuditCheckpoint, DeviceList } from '../../shared/sync/protocol';
import { type ChainHead, chainHeadKey } from '../db/audit-chain';
import { readServerCheckpoints } from '../db/audit-checkpoints';
import type { KatDatabase } from '../db/database';
import { freshClinic } from '../db/test-support';
import { exchangeAuditCheckpoints } from './audit-checkpoint';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

/** A server that keeps the highest checkpoint per computer and counts what it is sent. */
function fakeServer() {
  const held = new Map<string, AuditCheckpoint>();
  const puts: AuditCheckpoint[] = [];
  return {
    puts,
    putAuditCheckpoint: async (cp: AuditCheckpoint) => {
      puts.push(cp);
      held.set(cp.chain, cp);
    },
    devices: async (): Promise<DeviceList> =>
      ({
        devices: [...held.values()].map((cp) => ({ auditCheckpoint: cp })),
      }) as unknown as DeviceList,
  };
}

describe('audit checkpoint exchange', () => {
  it('reports the chain head once, and again only when it moves', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const chain = c.session.deviceId;
    const server = fakeServer();
    const head = async () => (await c.db.meta.get(chainHeadKey(chain)))!.value as ChainHead;

    await exchangeAuditCheckpoints(c.db, chain, server);
    expect(server.puts.map((p) => p.seq)).toEqual([(await head()).seq]);
    expect((await readServerCheckpoints(c.db))?.byDevice[chain]?.seq).toBe((await head()).seq);

    // A quiet round: the server already holds this head.
    await exchangeAuditCheckpoints(c.db, chain, server);
    expect(server.puts).toHaveLength(1);

    await c.store.audit('print', { detail: 'Blank consent packet' });
    await exchangeAuditCheckpoints(c.db, chain, server);
    expect(server.puts.map((p) => p.seq)).toEqual([(await head()).seq - 1, (await head()).seq]);
  });
});
