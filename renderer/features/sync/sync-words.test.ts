/**
 * The header says which side is away (issue 14 point 7): "Offline" was shown when the computer was
 * online and only the clinic server did not answer.
 */
import { describe, expect, it } from 'vitest';
import { unreachablePhase } from '../../sync/sync-runtime';
import { syncLabel } from './sync-words';

describe('the header sync label', () => {
  it('says the server is unreachable when this computer is online', () => {
    expect(syncLabel({ phase: unreachablePhase(true), waiting: 2 })).toBe(
      'Server unreachable · 2 changes waiting',
    );
  });
  it('says this computer is offline when it has no network', () => {
    expect(syncLabel({ phase: unreachablePhase(false), waiting: 1 })).toBe(
      'This computer is offline · 1 change waiting',
    );
    expect(syncLabel({ phase: unreachablePhase(false), waiting: 0 })).toBe(
      'This computer is offline',
    );
  });
});
