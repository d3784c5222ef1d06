/**
 * "Who opened this chart": an access report for one patient over a date range (issue 18 point 3;
 * HIPAA 45 CFR 164.312(b) audit controls; the "access report" of the 2011 proposed changes to the
 * accounting of disclosures, 76 FR 31426). Built from the audit events of that patient: reads, prints, exports,
 * emergency access and refused attempts. Events that change a record are in the audit log itself.
 */

export const ACCESS_ACTIONS = ['view', 'print', 'export', 'break-glass', 'access-refused'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export type AccessLine = {
  at: string;
  action: string;
  userId: string;
  userName: string;
  detail: string;
};

export type AccessByPerson = {
  userId: string;
  userName: string;
  first: string;
  last: string;
  counts: Record<AccessAction, number>;
};

const isAccess = (a: string): a is AccessAction =>
  (ACCESS_ACTIONS as readonly string[]).includes(a);

/** One row per person who touched the chart, most recent first, with what they did how often. */
export function accessByPerson(lines: readonly AccessLine[]): AccessByPerson[] {
  const people = new Map<string, AccessByPerson>();
  for (const l of lines) {
    if (!isAccess(l.action)) continue;
    let p = people.get(l.userId);
    if (!p) {
      p = {
        userId: l.userId,
        userName: l.userName,
        first: l.at,
        last: l.at,
        counts: { view: 0, print: 0, export: 0, 'break-glass': 0, 'access-refused': 0 },
      };
      people.set(l.userId, p);
    }
    p.counts[l.action]++;
    if (l.at < p.first) p.first = l.at;
    if (l.at > p.last) p.last = l.at;
  }
  return [...people.values()].sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
}

/** "12 views, 1 print, 1 refused attempt": what one person did, in words, nothing for zeros. */
export function accessWords(counts: Record<AccessAction, number>): string {
  const words: [AccessAction, string, string][] = [
    ['view', 'view', 'views'],
    ['print', 'print', 'prints'],
    ['export', 'export', 'exports'],
    ['break-glass', 'emergency access', 'emergency accesses'],
    ['access-refused', 'refused attempt', 'refused attempts'],
  ];
  return words
    .filter(([k]) => counts[k] > 0)
    .map(([k, one, many]) => `${counts[k]} ${counts[k] === 1 ? one : many}`)
    .join(', ');
}
