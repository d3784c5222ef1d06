/**
 * Refuses common and guessable passphrases (issue 13 point 7, issue 18 finding 5). NIST SP 800-63B
 * §5.1.1.2 asks verifiers to compare new secrets against lists of common, expected or compromised
 * values and to say why one was refused, without composition rules. zxcvbn-ts (dictionaries of
 * common passwords, names and English words, keyboard patterns, dates, repeats, l33t) estimates
 * how many guesses a passphrase takes; we ask for score 3 or more (at least 10^8 guesses, each an
 * Argon2id derivation), and also count the clinic's and the person's own names as guessable.
 * The dictionaries are large, so they load on the first check, never at start-up, and never from
 * the network (they are npm packages bundled with the app).
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { RuleError } from './errors';

export const MIN_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

function load(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [core, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      useLevenshteinDistance: true,
    });
  })();
  return estimator;
}

export type PassphraseVerdict = { ok: true } | { ok: false; message: string };

/** Words of the user and clinic a guesser would try first (names, user name). */
const relatedWords = (related: (string | undefined)[]) =>
  related
    .filter((w): w is string => !!w)
    .flatMap((w) => [w, ...w.split(/[\s._-]+/)])
    .filter((w) => w.length >= 3);

export async function checkPassphraseStrength(
  passphrase: string,
  related: (string | undefined)[] = [],
): Promise<PassphraseVerdict> {
  const result = (await load()).check(passphrase.slice(0, 200), relatedWords(related));
  if (result.score >= MIN_SCORE) return { ok: true };
  const why = result.feedback.warning ? `${result.feedback.warning.replace(/\.?$/, '.')} ` : '';
  return {
    ok: false,
    message: `This passphrase is too easy to guess. ${why}Try a short sentence of four or more words that are not a saying or a song line, e.g. “paper lanterns float over the harbor”.`,
  };
}

/** Throws a RuleError (code `passphrase.weak`) with the reason, for domain functions. */
export async function assertStrongPassphrase(
  passphrase: string,
  related: (string | undefined)[] = [],
): Promise<void> {
  const verdict = await checkPassphraseStrength(passphrase, related);
  if (!verdict.ok) throw new RuleError('passphrase.weak', verdict.message);
}
