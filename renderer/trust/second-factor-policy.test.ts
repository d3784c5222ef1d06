import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/trust/verify';
import { addUser, signIn } from '../db/auth';
import type { KatDatabase } from '../db/database';
import { RecordStore } from '../db/record-store';
import { freshClinic } from '../db/test-support';
import { chainStateOf, readChainTexts } from './chain-store';
import { mustAddSecondFactor, policyOf, setSecondFactorPolicy } from './second-factor-policy';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('the clinic’s second-factor rule (issue 18 deliverable 5)', () => {
  it('is optional until an administrator signs one; required roles must add a factor', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    expect(policyOf(await chainStateOf(c.db))).toEqual({ mode: 'optional', roles: [] });
    const dana = await addUser(c.store, {
      displayName: 'Dana Reyes',
      username: 'dana',
      roles: ['therapist'],
      passphrase: 'quiet harbor lights',
    });
    expect(await mustAddSecondFactor(c.db, dana.id, ['therapist'])).toBe(false);

    await setSecondFactorPolicy(c.store, { mode: 'required', roles: ['therapist'] });
    expect(policyOf(await chainStateOf(c.db))).toEqual({ mode: 'required', roles: ['therapist'] });
    expect(await mustAddSecondFactor(c.db, dana.id, ['therapist'])).toBe(true);
    // Roles other than the chosen ones are not asked.
    expect(await mustAddSecondFactor(c.db, c.session.user.id, ['prescriber'])).toBe(false);

    // A therapist cannot change the rule.
    const danaSession = await signIn(c.db, 'dana', 'quiet harbor lights');
    await expect(
      setSecondFactorPolicy(new RecordStore(c.db, danaSession), { mode: 'off', roles: [] }),
    ).rejects.toThrow(/Only an administrator/);
    // Required with no role named means nothing: refused, nothing signed.
    await expect(setSecondFactorPolicy(c.store, { mode: 'required', roles: [] })).rejects.toThrow(
      /at least one role/,
    );
    expect(policyOf(await chainStateOf(c.db)).mode).toBe('required');
  });

  it('a server (or anyone with the disk) that rewrites the rule to "off" breaks the chain', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    await setSecondFactorPolicy(c.store, { mode: 'required', roles: ['therapist'] });
    const texts = await readChainTexts(c.db);
    const forged = texts.map((t, i) =>
      i === texts.length - 1
        ? t.replace('"mode":"required","roles":["therapist"]', '"mode":"off","roles":[]')
        : t,
    );
    expect(forged.at(-1)).toContain('"mode":"off"');
    const { state, problem } = await verifyChain(forged, c.session.clinicId);
    expect(problem?.reason).toBe('bad-signature');
    // What verified stops before the forged statement: the rule is not "off".
    expect(policyOf(state).mode).toBe('optional');
  });
});
