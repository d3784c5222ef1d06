/**
 * A refused access is itself evidence (HIPAA 45 CFR 164.312(b) audit controls; 164.308(a)(1)(ii)(D)
 * activity review): someone tried to read or change what their role does not allow. The record
 * store throws AccessRefusedError (so a screen can say "You don't have access to this" and offer
 * emergency access where it would help) and logs one 'access-refused' event per attempt; the same
 * attempt repeated by a live query re-running is logged once every few minutes, not per render.
 */
import Dexie from 'dexie';
import type { RecordKind } from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import type { Action } from '../../shared/rules/permissions';

export class AccessRefusedError extends RuleError {
  constructor(
    message: string,
    readonly action: Action,
    readonly kind: RecordKind,
    /** The chart the refused record belongs to, when it belongs to one. */
    readonly patientId: string,
  ) {
    super('permission.denied', message);
    this.name = 'AccessRefusedError';
  }
}

export const isAccessRefused = (e: unknown): e is AccessRefusedError =>
  e instanceof AccessRefusedError ||
  (e instanceof RuleError && e.code === 'permission.denied');

const REPEAT_MS = 5 * 60_000;

/** Remembers which refusals were logged lately, so a re-rendering screen logs one event. */
export class RefusalLog {
  private readonly logged = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when this attempt should be written (first time, or not in the last few minutes). */
  shouldLog(key: string): boolean {
    const t = this.now();
    const last = this.logged.get(key);
    if (last !== undefined && t - last < REPEAT_MS) return false;
    this.logged.set(key, t);
    if (this.logged.size > 500) this.logged.delete(this.logged.keys().next().value!);
    return true;
  }
}

/**
 * Runs a write outside whatever transaction or live query is current: a refusal is often found
 * while a live query reads, where writing is not allowed and would end its transaction.
 */
export function writeOutside(write: () => Promise<void>) {
  setTimeout(() => {
    void Dexie.ignoreTransaction(write).catch(() => {
      // The app may be locking at this moment; a lost refusal event is not worth a crash.
    });
  }, 0);
}
