/**
 * Line-by-line comparison of two texts, for reading two versions of a consent form side by side
 * (issue 17: "version history with a side-by-side comparison"). A longest-common-subsequence over
 * lines: forms are a few hundred lines at most, so the quadratic table is small.
 */
export type DiffRow =
  | { kind: 'same'; left: string; right: string }
  | { kind: 'removed'; left: string }
  | { kind: 'added'; right: string }
  | { kind: 'changed'; left: string; right: string };

export function diffLines(before: string, after: string): DiffRow[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const raw: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      raw.push({ kind: 'same', left: a[i]!, right: b[j]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) raw.push({ kind: 'removed', left: a[i++]! });
    else raw.push({ kind: 'added', right: b[j++]! });
  }
  while (i < n) raw.push({ kind: 'removed', left: a[i++]! });
  while (j < m) raw.push({ kind: 'added', right: b[j++]! });
  // A removed line directly followed by an added one reads as one changed line, side by side.
  const rows: DiffRow[] = [];
  for (let k = 0; k < raw.length; k++) {
    const r = raw[k]!;
    const next = raw[k + 1];
    if (r.kind === 'removed' && next?.kind === 'added') {
      rows.push({ kind: 'changed', left: r.left, right: next.right });
      k++;
    } else rows.push(r);
  }
  return rows;
}
