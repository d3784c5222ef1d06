import { describe, expect, it } from 'vitest';
import type { ChainReport, StoredAuditRow } from './audit-chain';
import { checkServerCheckpoints } from './audit-checkpoints';

const intact: ChainReport = {
  ok: true,
  devices: [],
  unchained: 0,
  checkedAt: '2026-12-07T05:00:00Z',
};
const row = (deviceId: string, seq: number, hash: string) =>
  ({ id: `${deviceId}-${seq}`, deviceId, seq, hash, at: '2026-12-07T04:00:00Z' }) as StoredAuditRow;
const cp = (chain: string, seq: number, hash: string) => ({
  chain,
  seq,
  hash,
  at: '2026-12-07T04:30:00Z',
});

describe('the clinic server’s audit checkpoints', () => {
  it('says which of this computer’s events are missing, and that a received chain may just lag', () => {
    const rows = [row('here', 1, 'h1'), row('here', 2, 'h2'), row('there', 1, 't1')];
    const report = checkServerCheckpoints(
      intact,
      rows,
      { fetchedAt: '', byDevice: { here: cp('here', 5, 'h5'), there: cp('there', 4, 't4') } },
      'here',
    );
    expect(report.ok).toBe(false);
    expect(report.devices.find((d) => d.deviceId === 'here')?.firstBreak?.problem).toContain(
      'events 3 to 5 are missing',
    );
    expect(report.devices.find((d) => d.deviceId === 'there')?.firstBreak).toBeUndefined();
  });

  it('names a changed event, and leaves a refusal carried over from another computer’s backup alone', () => {
    const rows = [row('here', 1, 'h1'), row('there', 1, 't1')];
    const changed = checkServerCheckpoints(
      intact,
      rows,
      { fetchedAt: '', byDevice: { there: cp('there', 1, 'other') } },
      'here',
    );
    expect(changed.devices[0]?.firstBreak?.problem).toContain('it was changed on this computer');
    const restored = checkServerCheckpoints(
      intact,
      rows,
      {
        fetchedAt: '',
        byDevice: {},
        refused: { chain: 'old-computer', at: '', message: 'went back' },
      },
      'here',
    );
    expect(restored.ok).toBe(true);
  });
});
