import { describe, expect, it } from 'vitest';
import { diffLines } from './text-diff';

describe('comparing two versions of a form line by line', () => {
  it('keeps equal lines, pairs a replaced line, shows added and removed ones', () => {
    const v1 = ['# Risks', 'Nausea may occur.', 'Blood pressure rises.', 'Sign below.'].join('\n');
    const v2 = [
      '# Risks',
      'Nausea or vomiting may occur.',
      'Blood pressure rises.',
      'You may feel detached for an hour.',
      'Sign below.',
    ].join('\n');
    expect(diffLines(v1, v2)).toEqual([
      { kind: 'same', left: '# Risks', right: '# Risks' },
      { kind: 'changed', left: 'Nausea may occur.', right: 'Nausea or vomiting may occur.' },
      { kind: 'same', left: 'Blood pressure rises.', right: 'Blood pressure rises.' },
      { kind: 'added', right: 'You may feel detached for an hour.' },
      { kind: 'same', left: 'Sign below.', right: 'Sign below.' },
    ]);
  });

  it('a removed last line, and identical texts', () => {
    expect(diffLines('a\nb', 'a')).toEqual([
      { kind: 'same', left: 'a', right: 'a' },
      { kind: 'removed', left: 'b' },
    ]);
    expect(diffLines('a', 'a').every((r) => r.kind === 'same')).toBe(true);
  });
});
