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
};

/** Same floor as the SafetyOverride schema, so a finding cannot be waved through with "ok". */
export const MIN_REASON_LENGTH = 5;

/** The override that answers a needs-reason finding, if one with a real reason exists. */
export function overrideFor(
  finding: SafetyFinding,
  overrides: readonly Pick<SafetyOverride, 'rule' | 'reason'>[],
): Pick<SafetyOverride, 'rule' | 'reason'> | undefined {
  return overrides.find(
    (o) => o.rule === finding.rule && o.reason.trim().length >= MIN_REASON_LENGTH,
  );
}

/** Findings that still block: every stop, and each needs-reason without an override. */
export function unresolvedFindings(
  findings: readonly SafetyFinding[],
  overrides: readonly Pick<SafetyOverride, 'rule' | 'reason'>[],
): SafetyFinding[] {
  return findings.filter(
    (f) => f.severity === 'stop' || (f.severity === 'needs-reason' && !overrideFor(f, overrides)),
  );
}
