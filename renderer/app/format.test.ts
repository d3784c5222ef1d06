import { describe, expect, it } from 'vitest';
import { formatAgo, formatDateTime } from './format';

describe('formatAgo', () => {
  const now = Date.parse('2026-12-06T14:30:00Z');
  const ago = (ms: number) => formatAgo(new Date(now - ms).toISOString(), now);

  it('says minutes and hours with the right plural', () => {
    expect(ago(20_000)).toBe('just now');
    expect(ago(60_000)).toBe('1 minute ago');
    expect(ago(2 * 60_000 + 40_000)).toBe('2 minutes ago');
    expect(ago(60 * 60_000)).toBe('1 hour ago');
    expect(ago(23 * 60 * 60_000)).toBe('23 hours ago');
  });

  it('gives the local date and 24-hour time from a day on, and for a time ahead of the clock', () => {
    const old = new Date(now - 3 * 86_400_000).toISOString();
    expect(formatAgo(old, now)).toBe(formatDateTime(old));
    expect(formatAgo(old, now)).not.toMatch(/AM|PM|T\d\d:/);
    const ahead = new Date(now + 10 * 60_000).toISOString();
    expect(formatAgo(ahead, now)).toBe(formatDateTime(ahead));
  });
});
