import { describe, expect, it } from 'vitest';
import { repeatedFailures } from './sign-in-failures';

const now = new Date('2026-12-07T12:00:00.000Z');
const fail = (hoursAgo: number, userId = 'dana', deviceId = 'front-desk') => ({
  at: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString(),
  userId,
  userName: userId === 'dana' ? 'Dana Reyes' : 'Unknown user name',
  deviceId,
});

describe('repeated failed sign-ins', () => {
  it('names a user with three or more failures in the last day, on how many computers', () => {
    expect(
      repeatedFailures(
        [fail(1), fail(2, 'dana', 'laptop'), fail(23), fail(30), fail(3, ''), fail(4, '')],
        now,
      ),
    ).toEqual([
      { userId: 'dana', userName: 'Dana Reyes', count: 3, devices: 2, lastAt: fail(1).at },
    ]);
  });

  it('counts tries of user names nobody has, together', () => {
    const [unknown] = repeatedFailures([fail(1, ''), fail(2, ''), fail(3, '')], now);
    expect(unknown).toMatchObject({ userName: 'A user name not in this clinic', count: 3 });
  });

  it('says nothing for two failures, or three spread over more than a day', () => {
    expect(repeatedFailures([fail(1), fail(2)], now)).toEqual([]);
    expect(repeatedFailures([fail(1), fail(20), fail(25)], now)).toEqual([]);
  });
});
