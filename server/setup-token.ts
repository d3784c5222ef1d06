/**
 * The clinic setup token: the operator's secret that lets the first computer of a clinic register
 * it. It is one-use — spent by the registration — so a token that leaks afterwards (a note on a
 * desk, a shell history, a journal) opens nothing. `--new-setup-token` makes another one for an
 * operator adding a second clinic. A SETUP_TOKEN from the environment counts only until the first
 * token of this data was spent or renewed: a human-chosen token never works forever.
 *
 * The token is written to a file only the service user can read (mode 0600, in the data folder by
 * default), so an office manager reads it without a terminal session on the server's console;
 * once spent, the file says so. It goes to the console only when that is a terminal: a service's
 * output ends up in the system journal, which more people can read.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './store/embedded-meta';
import type { ServerIdentity } from './store/store';

type SetupIdentity = Pick<ServerIdentity, 'setupToken' | 'setupSpentAt' | 'setupRenewedAt'>;

/** The token that registers a clinic now, or null when it was spent. */
export function liveSetupToken(identity: SetupIdentity, fromEnv?: string): string | null {
  if (identity.setupSpentAt) return null;
  return fromEnv && !identity.setupRenewedAt ? fromEnv : identity.setupToken;
}

/** The setup-token file as it should read now. */
export function setupTokenFileText(identity: SetupIdentity, fromEnv?: string): string {
  const token = liveSetupToken(identity, fromEnv);
  if (token) return `${token}\n`;
  return (
    `The setup token was used on ${identity.setupSpentAt} to register a clinic, so it no longer ` +
    'works.\nOther computers join that clinic with enrollment codes from its administrator.\n' +
    'To register another clinic on this server, make a new token (server/README.md, ' +
    '"--new-setup-token").\n'
  );
}

export async function writeSetupTokenFile(
  path: string,
  identity: SetupIdentity,
  fromEnv?: string,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, setupTokenFileText(identity, fromEnv));
}
