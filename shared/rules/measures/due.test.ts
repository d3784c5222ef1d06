import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../model/measure';
import { measuresDue, type TakenMeasure } from './due';

const dosing = {
  id: 'enc-dose-3',
  visitKind: 'dosing' as const,
  start: '2026-11-21T10:00:00.000Z',
};
const noSchedule = {};
const taken = (
  instrument: Instrument,
  administeredAt: string,
  extra: Partial<TakenMeasure> = {},
) => ({
  instrument,
  administeredAt,
  ...extra,
});
const dueNames = (...args: Parameters<typeof measuresDue>) =>
  measuresDue(...args).map((d) => d.instrument);

describe('measures due before a visit', () => {
  it('by default asks for PHQ-9, GAD-7 and the C-SSRS screener before a dosing session', () => {
    const due = measuresDue(noSchedule, [], dosing);
    expect(due.map((d) => d.instrument)).toEqual(['phq9', 'gad7', 'cssrs-screener']);
    expect(due[0]?.reason).toMatch(/PHQ-9 is given before each dosing session/);
    expect(due[0]?.lastAdministeredAt).toBeNull();
  });

  it('asks for nothing before an integration session under the default schedule', () => {
    expect(measuresDue(noSchedule, [], { ...dosing, visitKind: 'integration' })).toEqual([]);
  });

  it('counts maintenance sessions as dosing sessions', () => {
    expect(dueNames(noSchedule, [], { ...dosing, visitKind: 'maintenance' })).toContain('phq9');
  });

  it('is satisfied by a PHQ-9 given that morning, not by one from the previous session', () => {
    const morning = [taken('phq9', '2026-11-21T08:30:00.000Z')];
    expect(dueNames(noSchedule, morning, dosing)).not.toContain('phq9');
    const lastSession = [taken('phq9', '2026-11-19T09:50:00.000Z')];
    const due = measuresDue(noSchedule, lastSession, dosing);
    expect(due.map((d) => d.instrument)).toContain('phq9');
    expect(due.find((d) => d.instrument === 'phq9')?.lastAdministeredAt).toBe(
      '2026-11-19T09:50:00.000Z',
    );
  });

  it('is satisfied by a measure linked to this encounter or given as it starts', () => {
    const linked = [taken('phq9', '2026-11-18T10:00:00.000Z', { encounterId: dosing.id })];
    expect(dueNames(noSchedule, linked, dosing)).not.toContain('phq9');
    const inSession = [taken('gad7', '2026-11-21T10:05:00.000Z')];
    expect(dueNames(noSchedule, inSession, dosing)).not.toContain('gad7');
  });

  it('ignores a measure marked entered in error', () => {
    const wrong = [taken('phq9', '2026-11-21T09:00:00.000Z', { status: 'entered-in-error' })];
    expect(dueNames(noSchedule, wrong, dosing)).toContain('phq9');
  });

  it('follows the clinic schedule: every 30 days, whatever the visit', () => {
    const settings = { measureSchedule: { pcl5: { rule: 'every-N-days' as const, days: 30 } } };
    const integration = { visitKind: 'integration' as const, start: '2026-11-21T10:00:00.000Z' };
    expect(dueNames(settings, [], integration)).toEqual(['pcl5']);
    expect(measuresDue(settings, [], integration)[0]?.reason).toMatch(/No PCL-5 on record/);

    const at29 = [taken('pcl5', '2026-10-23T10:00:00.000Z')];
    expect(dueNames(settings, at29, integration)).toEqual([]);
    const at30 = [taken('pcl5', '2026-10-22T10:00:00.000Z')];
    const due = measuresDue(settings, at30, integration);
    expect(due.map((d) => d.instrument)).toEqual(['pcl5']);
    expect(due[0]?.reason).toMatch(/every 30 days; the last one was 30 days before/);
  });

  it('judges "every N days" by the latest measure, in any order', () => {
    const settings = { measureSchedule: { gad7: { rule: 'every-N-days' as const, days: 14 } } };
    const history = [
      taken('gad7', '2026-11-15T10:00:00.000Z'),
      taken('gad7', '2026-10-01T10:00:00.000Z'),
    ];
    expect(dueNames(settings, history, dosing)).not.toContain('gad7');
  });

  it('lets a clinic switch an instrument off', () => {
    const settings = { measureSchedule: { 'cssrs-screener': { rule: 'not-scheduled' as const } } };
    expect(dueNames(settings, [], dosing)).toEqual(['phq9', 'gad7']);
  });
});
