/** Test helper: `count` answers, each at most `max`, adding up to `total` (highest items first). */
export function answersTotalling(total: number, count: number, max: number): number[] {
  if (total > count * max) throw new RangeError(`${total} is more than ${count} × ${max}`);
  let left = total;
  return Array.from({ length: count }, () => {
    const a = Math.min(max, left);
    left -= a;
    return a;
  });
}
