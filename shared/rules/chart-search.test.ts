import { describe, expect, it } from 'vitest';
import type { Addendum, IntegrationSummary, SessionNote } from '../model';
import { formatHlc } from '../sync/hlc';
import { uuidv7 } from '../util/ids';
import { parseQuery, searchChart, type Snippet } from './chart-search';

const patientId = uuidv7();
const base = (createdAt: string) => ({
  id: uuidv7(),
  clinicId: uuidv7(),
  createdBy: uuidv7(),
  createdAt,
  updatedAt: formatHlc({ wallMs: 1, counter: 0, node: 'dev1' }),
  status: 'signed' as const,
  schemaVersion: 1,
  patientId,
});

function note(
  sections: Record<string, string>,
  extra: Partial<SessionNote> = {},
  createdAt = '2026-11-01T10:00:00.000Z',
): SessionNote {
  return {
    kind: 'note',
    ...base(createdAt),
    templateId: 'dosing-session',
    title: 'Dosing session',
    sections,
    timeline: [],
    ...extra,
  };
}

function addendum(text: string, reason: string, targetId: string): Addendum {
  return {
    kind: 'addendum',
    ...base('2026-11-02T10:00:00.000Z'),
    targetId,
    targetKind: 'note',
    text,
    reason,
    writtenAt: '2026-11-02T10:00:00.000Z',
  };
}

function summary(extra: Partial<IntegrationSummary>): IntegrationSummary {
  return {
    kind: 'integration-summary',
    ...base('2026-11-03T10:00:00.000Z'),
    insights: '',
    themes: [],
    emotions: '',
    bodySensations: '',
    goals: '',
    practices: [],
    nextSteps: '',
    clinicianNotes: '',
    ...extra,
  };
}

/** The highlighted words, as the clinician sees them. */
const marked = (s: Snippet) => s.highlights.map((h) => s.text.slice(h.start, h.end));

describe('search within a patient chart', () => {
  it('finds a note by a word in a section and highlights it in the snippet', () => {
    const n = note({ observations: 'Patient was tearful, then calm.' });
    const [hit, ...rest] = searchChart(
      { notes: [n, note({ observations: 'Calm throughout.' })] },
      'tearful',
    );
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ recordId: n.id, kind: 'note', title: 'Dosing session' });
    expect(hit?.snippet).toMatchObject({
      field: 'section:observations',
      fieldLabel: 'Observations',
    });
    expect(hit?.snippet.text).toBe('Patient was tearful, then calm.');
    expect(marked(hit!.snippet)).toEqual(['tearful']);
  });

  it('ignores case and accents both ways', () => {
    const n = note({ plan: 'Met at the Café; discussed NAÏVE expectations.' });
    const hit = searchChart({ notes: [n] }, 'cafe naive')[0];
    expect(hit?.recordId).toBe(n.id);
    expect(marked(hit!.snippet)).toEqual(['Café', 'NAÏVE']);
    const plain = note({ plan: 'cafe' });
    expect(searchChart({ notes: [plain] }, 'CAFÉ')).toHaveLength(1);
  });

  it('highlights the whole letter when the accent is stored as a separate mark', () => {
    const n = note({ plan: 'Cafe\u0301 visit' });
    expect(marked(searchChart({ notes: [n] }, 'café')[0]!.snippet)).toEqual(['Cafe\u0301']);
  });

  it('needs every word, in any field of the same record', () => {
    const both = note({ observations: 'Reports warmth.', recovery: 'Pressure in chest eased.' });
    const one = note({ observations: 'Reports warmth in hands.' });
    const hits = searchChart({ notes: [both, one] }, 'warmth chest');
    expect(hits.map((h) => h.recordId)).toEqual([both.id]);
    expect(hits[0]?.matchedFields).toEqual(['Observations', 'Recovery']);
  });

  it('keeps "quoted words" together', () => {
    const together = note({ observations: 'Eyes closed for most of the session.' });
    const apart = note({ observations: 'Eyes open; later closed the journal.' });
    const hits = searchChart({ notes: [together, apart] }, '"eyes closed"');
    expect(hits.map((h) => h.recordId)).toEqual([together.id]);
    expect(marked(hits[0]!.snippet)).toEqual(['Eyes closed']);
    expect(searchChart({ notes: [together, apart] }, 'eyes closed')).toHaveLength(2);
  });

  it('ranks a title match above a passing mention, and more mentions above fewer', () => {
    const titled = note({ notes: '' }, { title: 'Nausea follow-up' }, '2026-10-01T10:00:00.000Z');
    const mentioned = note({ notes: 'Mild nausea.' }, {}, '2026-11-01T10:00:00.000Z');
    const twice = note(
      { notes: 'Nausea at 20 min; nausea again at 35.' },
      {},
      '2026-09-01T10:00:00.000Z',
    );
    const hits = searchChart({ notes: [mentioned, twice, titled] }, 'nausea');
    expect(hits.map((h) => h.recordId)).toEqual([titled.id, twice.id, mentioned.id]);
  });

  it('puts the newest first when records match equally', () => {
    const older = note({ notes: 'calm' }, {}, '2026-10-01T10:00:00.000Z');
    const newer = note({ notes: 'calm' }, {}, '2026-11-01T10:00:00.000Z');
    expect(searchChart({ notes: [older, newer] }, 'calm').map((h) => h.recordId)).toEqual([
      newer.id,
      older.id,
    ]);
  });

  it('still finds a record entered in error, ranked below an equal valid one', () => {
    const wrong = note(
      { notes: 'calm' },
      { status: 'entered-in-error' },
      '2026-11-05T10:00:00.000Z',
    );
    const right = note({ notes: 'calm' }, {}, '2026-11-01T10:00:00.000Z');
    const hits = searchChart({ notes: [wrong, right] }, 'calm');
    expect(hits.map((h) => [h.recordId, h.status])).toEqual([
      [right.id, 'signed'],
      [wrong.id, 'entered-in-error'],
    ]);
  });

  it('searches live-charting lines and their quick tags, giving the time charted', () => {
    const n = note(
      {},
      {
        timeline: [
          {
            id: 'l1',
            at: '2026-11-01T14:05:00.000Z',
            text: 'Reports warmth in chest',
            tags: ['tearful'],
          },
          { id: 'l2', at: '2026-11-01T14:20:00.000Z', text: 'Asks for water', tags: [] },
        ],
      },
    );
    const hit = searchChart({ notes: [n] }, 'tearful')[0];
    expect(hit?.snippet).toMatchObject({
      field: 'timeline:l1',
      fieldLabel: 'Live charting',
      at: '2026-11-01T14:05:00.000Z',
    });
    expect(hit?.snippet.text).toBe('Reports warmth in chest · tearful');
  });

  it('searches addenda, pointing back to the note they amend', () => {
    const n = note({ notes: 'Dose given.' });
    const a = addendum('Correct dose was 0.5 mg/kg.', 'Transcription error', n.id);
    const hits = searchChart({ notes: [n], addenda: [a] }, 'transcription');
    expect(hits).toEqual([
      expect.objectContaining({
        recordId: a.id,
        kind: 'addendum',
        targetId: n.id,
        title: 'Addendum',
      }),
    ]);
    expect(hits[0]?.snippet.fieldLabel).toBe('Reason');
  });

  it('searches integration summaries, including themes and clinician-only notes', () => {
    const s = summary({ themes: ['grief', 'self-compassion'], clinicianNotes: 'Watch sleep.' });
    expect(searchChart({ summaries: [s] }, 'compassion')[0]).toMatchObject({
      recordId: s.id,
      kind: 'integration-summary',
      snippet: { fieldLabel: 'Themes' },
    });
    expect(searchChart({ summaries: [s] }, 'sleep')).toHaveLength(1);
  });

  it('cuts a long field to an excerpt around the match, marking the cuts', () => {
    const filler = 'The patient described the room and the music in detail. '.repeat(6);
    const n = note({
      notes: `${filler}Then she mentioned her brother for the first time. ${filler}`,
    });
    const { snippet } = searchChart({ notes: [n] }, 'brother')[0]!;
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(162);
    expect(marked(snippet)).toEqual(['brother']);
    expect(snippet.highlights[0]!.start).toBeGreaterThan(20);
  });

  it('shows line breaks as spaces in the snippet', () => {
    const n = note({ notes: 'Arrived calm.\n\n  Left smiling.' });
    expect(searchChart({ notes: [n] }, 'smiling')[0]?.snippet.text).toBe(
      'Arrived calm. Left smiling.',
    );
  });

  it('labels sections from the template when told, else from the key', () => {
    const n = note({ 'set-and-setting': 'Dim lights, eyeshade.' });
    expect(searchChart({ notes: [n] }, 'eyeshade')[0]?.snippet.fieldLabel).toBe('Set and setting');
    const labelled = searchChart({ notes: [n] }, 'eyeshade', {
      sectionLabel: (t, k) =>
        t === 'dosing-session' && k === 'set-and-setting' ? 'Setting' : undefined,
    });
    expect(labelled[0]?.snippet.fieldLabel).toBe('Setting');
  });

  it('returns nothing for an empty query and honours a limit', () => {
    const notes = [note({ a: 'calm' }), note({ a: 'calm' }), note({ a: 'calm' })];
    expect(searchChart({ notes }, '   ')).toEqual([]);
    expect(searchChart({ notes }, 'calm', { limit: 2 })).toHaveLength(2);
  });
});

describe('query words', () => {
  it('folds case and accents, drops stray punctuation and repeats, keeps phrases', () => {
    expect(parseQuery('  Nausea, NAUSEA “Eyes   Closed” (café) ')).toEqual([
      'eyes closed',
      'nausea',
      'cafe',
    ]);
  });
});
