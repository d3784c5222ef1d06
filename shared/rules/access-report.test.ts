import { describe, expect, it } from 'vitest';
import { accessByPerson, accessWords } from './access-report';

const line = (at: string, action: string, userId: string, userName = userId) => ({
  at,
  action,
  userId,
  userName,
  detail: '',
});

describe('who opened this chart', () => {
  it('counts each person’s reads, prints, exports, emergency access and refusals; latest first', () => {
    const rows = accessByPerson([
      line('2026-12-01T09:00:00.000Z', 'view', 'dana', 'Dana Reyes'),
      line('2026-12-03T09:00:00.000Z', 'view', 'dana', 'Dana Reyes'),
      line('2026-12-02T09:00:00.000Z', 'print', 'dana', 'Dana Reyes'),
      line('2026-12-04T10:00:00.000Z', 'access-refused', 'jordan', 'Jordan Lee'),
      line('2026-12-04T10:01:00.000Z', 'break-glass', 'jordan', 'Jordan Lee'),
      line('2026-12-04T10:02:00.000Z', 'view', 'jordan', 'Jordan Lee'),
      line('2026-12-05T10:00:00.000Z', 'update', 'sam', 'Sam Patel'), // a change, not an access
    ]);
    expect(rows.map((r) => [r.userName, r.first, r.last, accessWords(r.counts)])).toEqual([
      [
        'Jordan Lee',
        '2026-12-04T10:00:00.000Z',
        '2026-12-04T10:02:00.000Z',
        '1 view, 1 emergency access, 1 refused attempt',
      ],
      ['Dana Reyes', '2026-12-01T09:00:00.000Z', '2026-12-03T09:00:00.000Z', '2 views, 1 print'],
    ]);
  });
});
