/**
 * Moving the membership chain between this computer and the clinic server. Pulling takes only
 * statements that verify as the continuation of what this computer holds. Appending signs the next
 * statements on the verified head and hands them to the server with the length they follow
 * (compare-and-swap): when another administrator got there first, this computer pulls, checks the
 * change still makes sense, signs again and retries. A clinic not connected to a server appends to
 * its own copy; connecting uploads it (`uploadChain`).
 */
import { RuleError } from '../../shared/rules/errors';
import type { ChainState } from '../../shared/trust/chain-state';
import { type ChainSigner, signStatement } from '../../shared/trust/sign';
import { type StatementBody, statementText } from '../../shared/trust/statement';
import { type ChainProblem, extendChain } from '../../shared/trust/verify';
import type { KatDatabase } from '../db/database';
import { readSyncConfig } from '../db/sync-state';
import { type Keychain, loadDeviceSecrets } from '../sync/device-credentials';
import { platformKeychain } from '../sync/platform-keychain';
import { ServerClient, SyncHttpError } from '../sync/server-client';
import { loadTrust, recordTrustIssue, saveChain } from './chain-store';

/** The keychain each connected database's secrets live in (tests use an in-memory one). */
const keychains = new WeakMap<KatDatabase, Keychain>();

export function useKeychainFor(db: KatDatabase, keychain: Keychain) {
  keychains.set(db, keychain);
}

/** A client for this computer's clinic server, or undefined when it is not connected. */
export async function serverClientFor(db: KatDatabase): Promise<ServerClient | undefined> {
  const config = await readSyncConfig(db);
  if (!config) return undefined;
  const secrets = await loadDeviceSecrets(keychains.get(db) ?? platformKeychain).catch(
    () => undefined,
  );
  if (!secrets)
    throw new RuleError(
      'trust.no-secrets',
      'This computer’s sync key is missing, so the clinic’s membership cannot be changed here. ' +
        'Nothing was changed.',
    );
  return new ServerClient(config.serverUrl, secrets.token);
}

export type PullResult = { added: number; problem?: ChainProblem; serverLength: number };

/**
 * Takes the statements the server holds beyond ours, as far as they verify. When the server holds
 * fewer than we do (restored from a backup), ours are offered again, as bundles are.
 */
export async function pullChain(db: KatDatabase, client: ServerClient): Promise<PullResult> {
  const trust = await loadTrust(db);
  const have = trust.state?.length ?? 0;
  const page = await client.readChain(have === 0 ? 0 : have - 1);
  if (page.length < have) {
    await reoffer(client, trust.texts, page.length);
    return { added: 0, serverLength: page.length };
  }
  const r = await extendChain(trust.state, page.statements, {
    held: trust.texts,
    clinicId: await clinicIdOf(db),
  });
  if (r.problem) await recordTrustIssue(db, r.problem);
  if (r.added.length && r.state)
    await saveChain(db, [...trust.texts, ...r.added.map(statementText)], r.state);
  return { added: r.added.length, problem: r.problem, serverLength: page.length };
}

async function reoffer(client: ServerClient, texts: string[], from: number) {
  for (let at = from; at < texts.length; at += 64) {
    try {
      await client.appendChain(at, texts.slice(at, at + 64));
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 409) return; // someone else re-offered first
      throw e;
    }
  }
}

async function clinicIdOf(db: KatDatabase) {
  return ((await db.meta.get('clinic'))?.value as { clinicId?: string } | undefined)?.clinicId;
}

/** Uploads this computer's whole chain to a server that has none (the first computer connects). */
export async function uploadChain(db: KatDatabase, client: ServerClient) {
  const { texts } = await loadTrust(db);
  await reoffer(client, texts, 0);
  await pullChain(db, client);
}

export type StatementsFor = (
  state: ChainState | undefined,
) => StatementBody[] | Promise<StatementBody[]>;

const serverNeeded = (e: SyncHttpError) =>
  new RuleError(
    'trust.server-needed',
    `Changing the clinic’s membership needs the clinic server, so that every computer agrees on ` +
      `it. ${e.message} Nothing was changed.`,
  );

/**
 * Signs `build(state)` as the next statements and appends them: through the server when this
 * computer is connected (the change is refused, with nothing changed, while the server cannot be
 * reached), to the local copy otherwise. `build` may throw a RuleError when, after another
 * computer's change, the change no longer makes sense. Returns the new state.
 */
export async function appendStatements(
  db: KatDatabase,
  signer: ChainSigner,
  build: StatementsFor,
  opts: { client?: ServerClient | null; now?: Date } = {},
): Promise<ChainState> {
  const client = opts.client === undefined ? await serverClientFor(db) : (opts.client ?? undefined);
  for (let attempt = 0; attempt < 4; attempt++) {
    if (client) {
      try {
        await pullChain(db, client);
      } catch (e) {
        if (e instanceof SyncHttpError) throw serverNeeded(e);
        throw e;
      }
    }
    const trust = await loadTrust(db);
    const clinicId = trust.state?.clinicId ?? (await clinicIdOf(db));
    if (!clinicId) throw new Error('No clinic on this computer.');
    let state = trust.state;
    const texts: string[] = [];
    for (const body of await build(state)) {
      const text = statementText(await signStatement(state, clinicId, signer, body, opts.now));
      const r = await extendChain(state, [text], { clinicId });
      if (r.problem) throw new RuleError('trust.refused', r.problem.message);
      state = r.state;
      texts.push(text);
    }
    if (!texts.length || !state) return trust.state!;
    if (client) {
      try {
        await client.appendChain(trust.state?.length ?? 0, texts);
      } catch (e) {
        if (e instanceof SyncHttpError && e.code === 'chain-moved') continue;
        if (e instanceof SyncHttpError) throw serverNeeded(e);
        throw e;
      }
    }
    await saveChain(db, [...trust.texts, ...texts], state);
    return state;
  }
  throw new RuleError(
    'trust.busy',
    'Other computers kept changing the clinic’s membership at the same moment. Try again. ' +
      'Nothing was changed.',
  );
}
