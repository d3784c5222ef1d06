/**
 * This computer's copy of the clinic membership chain (shared/trust/README.md): the statement
 * texts in the `meta` table, verified from the root when first read in a session and then kept
 * verified in memory, so a statement changed on disk behind the app's back is refused like one
 * from a hostile server. Statements that did not verify are listed for Settings → Clinic server.
 */
import type { ChainState } from '../../shared/trust/chain-state';
import type { ChainProblem } from '../../shared/trust/verify';
import { verifyChain } from '../../shared/trust/verify';
import type { KatDatabase } from '../db/database';

const CHAIN = 'trust-chain';
const ISSUES = 'trust-issues';
const MAX_ISSUES = 50;

export type TrustIssue = { at: string; seq: number; message: string };

export type Trust = { state: ChainState | undefined; texts: string[]; problem?: ChainProblem };

const cache = new WeakMap<KatDatabase, Trust>();

export async function readChainTexts(db: KatDatabase): Promise<string[]> {
  return ((await db.meta.get(CHAIN))?.value as string[] | undefined) ?? [];
}

/** The verified chain this computer holds (state undefined: the clinic has no chain yet). */
export async function loadTrust(db: KatDatabase): Promise<Trust> {
  const texts = await readChainTexts(db);
  const cached = cache.get(db);
  if (cached && cached.texts.length === texts.length && cached.texts.at(-1) === texts.at(-1))
    return cached;
  const clinic = (await db.meta.get('clinic'))?.value as { clinicId?: string } | undefined;
  const { state, problem } = await verifyChain(texts, clinic?.clinicId);
  const trust: Trust = { state, texts: texts.slice(0, state?.length ?? 0), problem };
  if (problem) await recordTrustIssue(db, problem);
  cache.set(db, trust);
  return trust;
}

/** The verified state, or undefined while the clinic has no chain. */
export async function chainStateOf(db: KatDatabase): Promise<ChainState | undefined> {
  return (await loadTrust(db)).state;
}

/** Stores a chain this computer verified (`state` is the state after `texts`). */
export async function saveChain(db: KatDatabase, texts: string[], state: ChainState) {
  await db.meta.put({ key: CHAIN, value: texts });
  cache.set(db, { state, texts });
}

export async function recordTrustIssue(db: KatDatabase, problem: ChainProblem) {
  const issues = await readTrustIssues(db);
  if (issues.some((i) => i.seq === problem.seq && i.message === problem.message)) return;
  const next = [
    { at: new Date().toISOString(), seq: problem.seq, message: problem.message },
    ...issues,
  ];
  await db.meta.put({ key: ISSUES, value: next.slice(0, MAX_ISSUES) });
}

/** Statements that did not verify, newest first, in plain words. */
export async function readTrustIssues(db: KatDatabase): Promise<TrustIssue[]> {
  return ((await db.meta.get(ISSUES))?.value as TrustIssue[] | undefined) ?? [];
}
