/**
 * What a safety check reports. Severity decides what the prescriber may do about it:
 * stop — cannot go ahead, and no override exists (fix the cause: consent, evaluation, lot …);
 * needs-reason — may go ahead with a stated clinical reason, which is recorded and audited;
 * warn — shown, nothing required.
 */
import type { SafetyOverride } from '../../model/dose';

export const SEVERITIES = ['stop', 'needs-reason', 'warn'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type SafetyFinding = {
  /** Stable id; an override names it in SafetyOverride.rule. */
  rule: string;
  severity: Severity;
  /** For the person at the keyboard: what is wrong and what to do. */
  message: string;
  /** Where the rule comes from (label, regulation, clinic protocol). */
  source: string;
  /**
   * The numbers the finding judged (dose, mg/kg, weight, the BP reading and its time). An
   * override records them and answers only these values: any change voids it (issue 15).
   */
  values?: FindingValues;
};

export type FindingValues = Record<string, number | string>;

type OverrideLike = Pick<SafetyOverride, 'rule' | 'reason' | 'values'>;

/** Same keys, same values (order aside). Missing on both sides counts as the same. */
export function sameValues(a: FindingValues | undefined, b: FindingValues | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

/** Same floor as the SafetyOverride schema, so a finding cannot be waved through with "ok". */
export const MIN_REASON_LENGTH = 5;

/**
 * The override that answers a needs-reason finding: same rule, a real reason, and recorded for
 * exactly the values the finding judges now. An override from before values were recorded, or
 * for other values (the dose, weight or reading changed since), answers nothing.
 */
export function overrideFor<O extends OverrideLike>(
  finding: SafetyFinding,
  overrides: readonly O[],
): O | undefined {
  return overrides.find(
    (o) =>
      o.rule === finding.rule &&
      o.reason.trim().length >= MIN_REASON_LENGTH &&
      o.values !== undefined &&
      sameValues(o.values, finding.values),
  );
}

/** An override of this finding's rule that no longer applies because the values changed. */
export function voidedOverride<O extends OverrideLike>(
  finding: SafetyFinding,
  overrides: readonly O[],
): O | undefined {
  if (overrideFor(finding, overrides)) return undefined;
  return overrides.find((o) => o.rule === finding.rule);
}

/** Findings that still block: every stop, and each needs-reason without an override. */
export function unresolvedFindings(
  findings: readonly SafetyFinding[],
  overrides: readonly OverrideLike[],
): SafetyFinding[] {
  return findings.filter(
    (f) => f.severity === 'stop' || (f.severity === 'needs-reason' && !overrideFor(f, overrides)),
  );
}
