/**
 * The render bench's rows (tests/bench/render.ts, issue 20): each screen against its goal, a miss
 * saying by how much and where its long frames went, and growth from the smaller clinic to the
 * larger against the data's. What the lead reads in the README's Performance table.
 */
import { describe, expect, it } from 'vitest';
import { type FrameCost, type RenderFigures, renderRows } from '../bench/render';

const js = {
  initial: { raw: 800_000, gzip: 280_000, files: ['a.js'] },
  all: { raw: 4_000_000, gzip: 2_000_000, files: ['a.js', 'b.js'] },
};
const longFrame: FrameCost = {
  frames: 1,
  ms: 210,
  render: 4,
  forced: 0,
  scripts: { 'http://127.0.0.1:47261/assets/AuditLogScreen-x.js': 198 },
};

function figures(
  patients: number,
  scale: number,
  over: Partial<RenderFigures> = {},
): RenderFigures {
  const five = (v: number) => [v, v, v, v, v];
  return {
    patients,
    build: 'this',
    demoMs: 0,
    coldStartMs: five(400),
    signInToListMs: five(900 * scale),
    kdfMs: five(300),
    keystrokeMs: five(30 * scale),
    scroll: [{ steps: 10, frames: 100, longFrames: 0, worstFrameMs: 40 }],
    chartOpenMs: five(120),
    noteOpenMs: five(70),
    doseOpenMs: five(150),
    auditOpenMs: five(100 * scale),
    auditYearMs: five(60 * scale),
    cost: { auditOpen: longFrame },
    chart: { name: 'Adeyemi, Henry', chartNumber: 'KC-10010', entries: 51 },
    watched: {
      patient: { name: 'Ivanova, Amara', chartNumber: 'KC-10000' },
      noteName: 'Note: Dosing session 1',
      noteHref: '#/patients/p/notes/n',
      doseHref: '#/doses/d',
      vitals: 20,
    },
    auditEvents: { all: 15 * patients, year: 5 * patients },
    heapMb: 10 * scale,
    ...over,
  };
}

const find = (rows: ReturnType<typeof renderRows>, start: string) =>
  rows.find((r) => r.benchmark.startsWith(start))!;

describe('render bench rows', () => {
  it('give the note, the dose record and the audit log each against < 200 ms at the larger clinic', () => {
    const rows = renderRows([figures(250, 1), figures(2000, 3)], js);
    const note = find(rows, 'open a signed note');
    expect(note).toMatchObject({ ours: '70 ms', goal: '< 200 ms', met: true });
    expect(find(rows, 'open a dose record with 20 vitals')).toMatchObject({
      ours: '150 ms',
      met: true,
    });
    const audit = find(rows, 'open the audit log');
    expect(audit).toMatchObject({ ours: '300 ms', goal: '< 200 ms', met: false });
    expect(audit.benchmark).toContain('30,000 events');
    // A miss says by how much and what the long frames spent (the chunk's name, not its origin).
    expect(audit.benchmark).toContain('Misses the goal by 100 ms (1.5×)');
    expect(audit.benchmark).toContain('assets/AuditLogScreen-x.js 198');
    expect(audit.benchmark).not.toContain('127.0.0.1');
    expect(find(rows, 'audit log over a year')).toMatchObject({ ours: '180 ms', met: true });
    // The smaller clinic's figure and the growth beside the larger one's.
    expect(note.benchmark).toContain('at 250: 70 ms, growth 1.00× for 8× the patients');
  });

  it('meet the growth goal when no figure grows faster than the data, and name the ones that do', () => {
    const ok = find(renderRows([figures(250, 1), figures(2000, 3)], js), 'growth 250 → 2,000');
    expect(ok.met).toBe(true);
    expect(ok.benchmark).toContain('audit all time 3.00×');
    const slow = figures(2000, 3, { doseOpenMs: [1_300, 1_300, 1_300, 1_300, 1_300] });
    const bad = find(renderRows([figures(250, 1), slow], js), 'growth 250 → 2,000');
    expect(bad.met).toBe(false);
    expect(bad.benchmark).toContain('Faster than the data: dose');
  });

  it('give no growth row for one clinic size', () => {
    const rows = renderRows([figures(25, 1)], js);
    expect(rows.some((r) => r.benchmark.startsWith('growth'))).toBe(false);
  });
});

describe('render bench growth beside a figure', () => {
  it('gives no factor when the smaller clinic had none (no long frame while scrolling)', () => {
    const rows = renderRows([figures(250, 1), figures(2000, 3)], js);
    const scroll = find(rows, 'scroll the whole patient list');
    expect(scroll.benchmark).toContain('at 250: 0 frames for 8× the patients');
    expect(rows.map((r) => r.benchmark).join('\n')).not.toMatch(/NaN|Infinity/);
  });
});
