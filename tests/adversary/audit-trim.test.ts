/**
 * An insider trims the audit trail (issue 18 point 2; THREATS.md "insider with devtools"): on an
 * administrator's computer they delete the newest audit events and move the chain head back. The
 * chain then checks out on its own; the clinic server's checkpoint, which only goes forward, shows
 * which events are gone. Played against the real server process.
 */
import { describe, expect, it } from 'vitest';
import { type ChainHead, chainHeadKey, verifyAuditRows } from '../../renderer/db/audit-chain';
import { type StoredAuditRow } from '../../renderer/db/audit-chain';
import { SERVER_CHECKPOINTS_KEY } from '../../renderer/db/audit-checkpoints';
import { verifyAuditLog } from '../../renderer/db/audit-repository';
import { exchangeAuditCheckpoints } from '../../renderer/sync/audit-checkpoint';
import { SyncHttpError } from '../../renderer/sync/server-client';

import { type Computer, adminComputer, clientOf, hostileWorld } from './world';

const world = hostileWorld();

/** What someone with devtools does: delete the newest `n` events and point the head before them. */
async function trimNewest(c: Computer, deviceId: string, n: number) {
  const own = ((await c.db.audit.toArray()) as StoredAuditRow[])
    .filter((r) => r.deviceId === deviceId && r.seq !== undefined)
    .sort((a, b) => a.seq! - b.seq!);
  const gone = own.slice(-n);
  const kept = own.at(-n - 1)!;
  await c.db.audit.bulkDelete(gone.map((r) => r.id));
  await c.db.meta.put({ key: chainHeadKey(deviceId), value: { seq: kept.seq!, hash: kept.hash! } });
  return { from: gone[0]!.seq!, to: gone.at(-1)!.seq! };
}

describe('trimming the newest audit events', () => {
  it('passes the chain on its own, and is caught by the server’s checkpoint', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const { deviceId } = a.store.session;
    for (let i = 0; i < 4; i++)
      await a.store.audit('view', { detail: `Opened a chart at the front desk (${i})` });
    await exchangeAuditCheckpoints(a.db, deviceId, await clientOf(a));

    const { from, to } = await trimNewest(a, deviceId, 3);
    // The chain alone checks out: this is the attack.
    const rows = (await a.db.audit.toArray()) as StoredAuditRow[];
    const head = (await a.db.meta.get(chainHeadKey(deviceId)))!.value as ChainHead;
    expect(verifyAuditRows(rows, { [deviceId]: head }, new Date(), deviceId).ok).toBe(true);

    const report = await verifyAuditLog(a.store);
    expect(report.ok).toBe(false);
    expect(report.devices.find((d) => d.deviceId === deviceId)?.firstBreak?.problem).toContain(
      `events ${from} to ${to} are missing`,
    );
  });

  it('cannot move the checkpoint back, with the computer’s own token or by the app', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const { deviceId } = a.store.session;
    for (let i = 0; i < 3; i++) await a.store.audit('view', { detail: `event ${i}` });
    const client = await clientOf(a);
    await exchangeAuditCheckpoints(a.db, deviceId, client);
    const held = (await a.db.meta.get(chainHeadKey(deviceId)))!.value as ChainHead;

    // Raw calls with this computer's token: back, or another link at the same place.
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: unknown) => (e instanceof SyncHttpError ? e.code : String(e)),
      );
    const at = new Date().toISOString();
    const chain = deviceId;
    expect(
      await refusal(client.putAuditCheckpoint({ chain, seq: held.seq - 1, hash: held.hash, at })),
    ).toBe('audit-checkpoint-behind');
    const other = `hmac:1:${'0'.repeat(64)}`;
    expect(
      await refusal(client.putAuditCheckpoint({ chain, seq: held.seq, hash: other, at })),
    ).toBe('audit-checkpoint-forked');
    // A "new chain" for the same computer, starting again, is refused too.
    expect(
      await refusal(
        client.putAuditCheckpoint({ chain: 'fresh-start', seq: 99, hash: held.hash, at }),
      ),
    ).toBe('audit-checkpoint-other-chain');

    // The insider trims, and also deletes what this computer knew of the server's checkpoints.
    await trimNewest(a, deviceId, 2);
    await a.db.meta.delete(SERVER_CHECKPOINTS_KEY);
    await exchangeAuditCheckpoints(a.db, deviceId, client);
    const report = await verifyAuditLog(a.store);
    expect(report.ok).toBe(false);
    expect(report.devices.find((d) => d.deviceId === deviceId)?.firstBreak?.problem).toMatch(
      /are missing|reported later audit events/,
    );
  });

  it('leaves an untouched log intact', async () => {
    const a = await adminComputer(world.server);
    world.computers.push(a);
    const { deviceId } = a.store.session;
    await a.store.audit('view', { detail: 'one' });
    await exchangeAuditCheckpoints(a.db, deviceId, await clientOf(a));
    await a.store.audit('view', { detail: 'two, after the checkpoint' });
    await exchangeAuditCheckpoints(a.db, deviceId, await clientOf(a));
    expect((await verifyAuditLog(a.store)).ok).toBe(true);
  });
});
