/**
 * Incoming changes are checked against the verified membership chain like local ones (THREATS.md
 * principle 4; issue 13 point 4). For every change pulled from another computer:
 *
 * 1. the computer that sealed the bundle is enrolled in the chain (else the change waits: an
 *    administrator has not confirmed it yet) and was not removed before it sealed it (a bundle at
 *    a server position after its removal's `upTo` is refused);
 * 2. a signature this computer has not taken yet is verified cryptographically against the
 *    identity key the chain gave its signer at the chain position it names, and the signer's
 *    roles there allow signing that kind (shared/trust/record-signature.ts). Signatures dated
 *    before key signatures existed (content hash only) are taken and reported as such, only in a
 *    clinic upgraded from before the chain and only dated before its upgrade;
 * 3. a change naming its author (shared/trust/change-author.ts) carries their signature, made
 *    with the identity key the chain gave them at the chain length it names, over this very
 *    version (a forged or altered one is refused), and they were an active member then;
 * 4. anything the bundle carries that no record signature attests (a draft, an unsigned kind; new
 *    or changed; not the version held here already) is a kind its author's roles allow writing.
 *    A change without an author: refused once the chain requires authors (`require-authors`) for
 *    a bundle sealed after that (stripping the field buys nothing); before, as it was — a kind the
 *    roles of the member the chain confirmed the sending computer for may write, or that member
 *    is an administrator (a shared computer);
 * 5. a record not seen here before: its creator is a member whose roles allow writing that kind;
 *    an entered-in-error mark: whoever marked it may write that kind.
 *
 * A membership not known here yet → hold (`membership-unverified`, retried every round); anything
 * that can never verify → quarantine, listed in the sync panel. A clinic without a chain (from
 * before it, not migrated yet) takes changes as before; Settings → Clinic server says so.
 */
import { canonicalJson } from '../../shared/crypto/hash';
import type { AnyRecord, RecordKind } from '../../shared/model';
import { ROLE_LABELS, type Role } from '../../shared/model/user';
import { type Action, can, collectsQuestionnaires } from '../../shared/rules/permissions';
import { kindWords } from '../../shared/rules/lifecycle';
import {
  type ChainState,
  type MemberPeriod,
  headSeq,
  memberAt,
} from '../../shared/trust/chain-state';
import { HASH_ONLY_BEFORE, recordSignatureHolds } from '../../shared/trust/record-signature';
import {
  type ChangeAuthor,
  changeAuthorHolds,
  recordDigest,
} from '../../shared/trust/change-author';
import type { BundleChange } from '../../shared/sync/bundle';
import type { KatDatabase } from '../db/database';
import { ACCEPT, type IncomingCheck, type IncomingVerdict } from '../db/incoming-checks';
import { authorKeys } from './authors';
import { chainStateOf } from './chain-store';

const hold = (message: string): IncomingVerdict => ({
  verdict: 'hold',
  reason: 'membership-unverified',
  message,
});
const refuse = (message: string): IncomingVerdict => ({ verdict: 'quarantine', message });

const ACTION_WORDS: Record<Action, string> = { read: 'read', write: 'write', sign: 'sign' };
// ('a user': the vowel sound decides, and every kind that starts with u is said 'you'.)
const article = (w: string) => (/^[aeio]/.test(w) ? 'an' : 'a');
const plural = (w: string) =>
  w.endsWith('s') ? w : w.endsWith('y') ? `${w.slice(0, -1)}ies` : `${w}s`;

/**
 * The check, reading the verified chain this computer holds once per check made (sync-apply.ts
 * makes one per page): read per change, it was an IndexedDB transaction each, awaited one after
 * another — 2 s of an initial pull of 10,000 records spent waiting (issue 20). Applying a page
 * never changes the chain, so every change of the page is checked against the same one.
 */
export function chainCheck(db: KatDatabase): IncomingCheck {
  let chain: Promise<ChainState | undefined> | undefined;
  return async (c) => {
    const state = await (chain ??= chainStateOf(db));
    return state ? checkAgainstChain(state, c) : ACCEPT;
  };
}

export async function checkAgainstChain(
  chain: ChainState,
  { record, bundle, local, change }: Parameters<IncomingCheck>[0],
): Promise<IncomingVerdict> {
  const device = chain.devices.get(bundle.fromDevice);
  if (!device)
    return hold(
      'A change came from a computer an administrator has not confirmed in the clinic’s ' +
        'membership record yet. It waits here and applies once they confirm that computer.',
    );
  if (device.revoked && bundle.seq > device.revoked.upTo)
    return refuse(
      'A change came from a computer that was removed from the clinic before it sent it, so it ' +
        'was refused. Tell your administrator.',
    );
  const what = kindWords(record.kind);
  // Who wrote this version, when the change says: verified before anything else is taken from it.
  let writer: MemberPeriod | undefined;
  if (change.author) {
    const checked = await checkAuthor(chain, change, change.author, what);
    if ('verdict' in checked) return checked;
    writer = checked.period;
  }
  const sig = record.signature;
  if (sig && record.status !== 'draft' && !sameSignature(local, record))
    return checkSignature(chain, record, what, { seq: bundle.seq, writer: change.author?.by });
  // The version this computer already holds, offered again (a replay, a computer re-offering
  // everything after a server restore or a re-enrollment): nothing new comes from the sender.
  if (
    local &&
    local.updatedAt === record.updatedAt &&
    canonicalJson(local) === canonicalJson(record)
  )
    return ACCEPT;
  // What the change carries new must be something its author's role may write.
  if (
    writer &&
    !can(writer.roles, 'write', record.kind) &&
    !patientAnswers(writer.roles, record, local)
  )
    return refuse(
      `A change to ${article(what)} ${what} was written by someone whose role does not allow ` +
        `writing ${plural(what)}, so it was refused (it may have been written at a computer ` +
        'colleagues share). Tell your administrator.',
    );
  if (!writer) {
    // No author: once the clinic requires them, only from a bundle sealed before that.
    const required = chain.authorsRequired;
    if (required && bundle.seq > required.upTo)
      return refuse(
        `A change to ${article(what)} ${what} came without the signature of the person who wrote ` +
          'it, which this clinic requires, so it was refused. If it keeps happening, tell your ' +
          'administrator: that computer may be out of date, or in the wrong hands.',
      );
    // Before: who edited is not attested per change, but the computer that sealed the bundle
    // is: what it carries new must be something its member's role may write.
    const origin = computerMayWrite(chain, device.owner, record.kind, what);
    const owner = chain.members.get(device.owner)?.periods.filter((p) => p.active) ?? [];
    const collected = owner.some((p) => patientAnswers(p.roles, record, local));
    if (origin.verdict !== 'accept' && !collected) return origin;
  }
  if (record.status === 'entered-in-error' && local && local.status !== 'entered-in-error') {
    const by = record.enteredInError?.by ?? '';
    return allowed(chain, by, 'write', record.kind, headSeq(chain), what, 'marked in error');
  }
  // A record's creator never changes (lifecycle.ts), so it names who wrote a record this
  // computer has not seen before; they may have been removed since, as long as they could write
  // it while a member.
  if (local) return ACCEPT;
  const creator = chain.members.get(record.createdBy)?.periods.filter((p) => p.active) ?? [];
  if (creator.some((p) => patientAnswers(p.roles, record, local))) return ACCEPT;
  return allowedEver(chain, record.createdBy, record.kind, what);
}

/**
 * Answers a patient gave in patient mode, stored by the staff member who handed the device over
 * (RecordStore.createPatientAnswers): a role that collects questionnaires without writing
 * measures (a practice manager, permissions.collectsQuestionnaires) may create exactly this — a
 * new draft measure marked completed by the patient, for a clinician to review. Refusing it here
 * kept a PHQ-9 item-9 answer given at the front desk from raising the alert on every other
 * computer (issue 17; PRODUCT.md: item 9 above 0 "must raise a visible alert"). An edit of a
 * measure this computer already holds, a signed one or a staff-completed one stays refused.
 */
function patientAnswers(
  roles: readonly Role[],
  record: AnyRecord,
  local: AnyRecord | undefined,
): boolean {
  return (
    record.kind === 'measure' &&
    record.status === 'draft' &&
    record.completedBy === 'patient' &&
    !local &&
    collectsQuestionnaires(roles)
  );
}

/**
 * What a computer may carry that no signature attests: what the role of the member the chain
 * confirmed it for allows writing (permissions.ts, the table the repositories enforce), in any
 * period they were an active member — a bundle's server position does not say which chain period
 * it was sealed in, and a computer is revoked when its member is removed. A computer confirmed
 * for an administrator may carry every kind: colleagues share computers (the first computer, the
 * front desk), and such a computer must be confirmed for an administrator (shared/crypto/SECURITY.md).
 */
function computerMayWrite(
  chain: ChainState,
  owner: string,
  kind: RecordKind,
  what: string,
): IncomingVerdict {
  const periods = (chain.members.get(owner)?.periods ?? []).filter((p) => p.active);
  if (periods.some((p) => p.roles.includes('administrator') || can(p.roles, 'write', kind)))
    return ACCEPT;
  const roles = [...new Set(periods.flatMap((p) => p.roles))].map((r) =>
    ROLE_LABELS[r].toLowerCase(),
  );
  return refuse(
    `A change to ${article(what)} ${what} came from a computer confirmed for a ${roles.join(' and ') || 'former member'}, ` +
      `whose role does not allow writing ${plural(what)}, so it was refused. If colleagues share ` +
      'that computer, an administrator should confirm it for themselves; otherwise tell your ' +
      'administrator: that computer may be in the wrong hands.',
  );
}

/**
 * The author's signature over this version (change-author.ts), with the identity key the chain
 * gave them at the chain length the signature names (0: before their computer held the chain —
 * any key the chain gave them). Returns their period there, or why not.
 */
async function checkAuthor(
  chain: ChainState,
  change: BundleChange,
  author: ChangeAuthor,
  what: string,
): Promise<{ period: MemberPeriod } | IncomingVerdict> {
  const later = author.chain > chain.length;
  const periods = later ? [] : authorKeys(chain, author.by, author.chain);
  if (later || (!periods.length && !chain.members.has(author.by)))
    return hold(
      `A change to ${article(what)} ${what} was written by someone this computer does not know as ` +
        'a member yet. It waits here and applies once the clinic’s membership record names them.',
    );
  const raw = change.record as { id: string; kind: string; clinicId: string };
  const digest = await recordDigest(raw);
  let signed: MemberPeriod | undefined;
  for (const p of periods)
    if (await changeAuthorHolds(raw, author, p.keys.signingKey, digest)) {
      signed = p;
      if (p.active) break;
    }
  if (!signed)
    return refuse(
      `A change to ${article(what)} ${what} was not signed with the key of the person it names as ` +
        'its writer, so it was refused. Tell your administrator: someone may be forging changes.',
    );
  if (!signed.active)
    return refuse(
      `A change to ${article(what)} ${what} was written by someone who had been removed from the ` +
        'clinic, so it was refused.',
    );
  return { period: signed };
}

function allowedEver(chain: ChainState, userId: string, kind: RecordKind, what: string) {
  const m = chain.members.get(userId);
  if (!m)
    return hold(
      `A ${what} was written by someone this computer does not know as a member yet. It waits ` +
        'here and applies once the clinic’s membership record names them.',
    );
  if (!m.periods.some((p) => p.active && can(p.roles, 'write', kind)))
    return refuse(
      `A ${what} was written by someone whose role does not allow them to write ${plural(what)}, ` +
        'so it was refused.',
    );
  return ACCEPT;
}

async function checkSignature(
  chain: ChainState,
  record: AnyRecord,
  what: string,
  /** The bundle's server position, and the change's verified writer (when it names one). */
  from: { seq: number; writer?: string },
): Promise<IncomingVerdict> {
  const sig = record.signature!;
  if (sig.chain !== undefined && sig.chain > chain.length)
    return hold(
      `A signed ${what} names a membership this computer has not received yet. It waits here and ` +
        'applies once the clinic’s membership record catches up.',
    );
  const at = sig.chain !== undefined ? Math.max(0, sig.chain - 1) : headSeq(chain);
  const verdict = allowed(chain, sig.by, 'sign', record.kind, at, what, 'signed');
  if (verdict.verdict !== 'accept') return verdict;
  if (!sig.sig) {
    // Only a clinic that existed before the chain can hold signatures without a key signature,
    // and only from before its upgrade: a clinic created with its chain has none, so a date set
    // back (any clock can be) buys nothing there. The window left in upgraded clinics:
    // shared/crypto/SECURITY.md.
    const legacy = chain.legacyBefore && sig.at < HASH_ONLY_BEFORE && sig.at < chain.legacyBefore;
    // Once the clinic requires writers, such a signature sent in a later bundle is taken only
    // from its signer, under their own writer signature: anyone else with an old key and a
    // clock set back could otherwise put a colleague's name under a note "from before keys".
    const required = chain.authorsRequired;
    if (legacy && required && from.seq > required.upTo && from.writer !== sig.by)
      return refuse(
        `A ${what} said to be signed by ${sig.byName} before signatures were bound to keys came ` +
          'from someone else, after this clinic began to require writers, so it was refused. ' +
          'Tell your administrator: someone may be backdating signatures.',
      );
    if (legacy)
      return {
        verdict: 'accept',
        note:
          `A ${what} signed by ${sig.byName} on ${sig.at.slice(0, 10)}, before signatures were ` +
          'bound to each person’s key, was taken on its content check and their role only.',
      };
    return refuse(
      `A ${what} said to be signed by ${sig.byName} carries no signature made with their key, ` +
        'so it was refused. Tell your administrator.',
    );
  }
  const period = memberAt(chain, sig.by, at)!;
  if (!(await recordSignatureHolds(record, period.keys.signingKey)))
    return refuse(
      `A ${what} said to be signed by ${sig.byName} was not signed with their key, so it was ` +
        'refused. Tell your administrator: someone may be forging signatures.',
    );
  return ACCEPT;
}

function allowed(
  chain: ChainState,
  userId: string,
  action: Action,
  kind: RecordKind,
  at: number,
  what: string,
  verb: string,
): IncomingVerdict {
  const period: MemberPeriod | undefined = memberAt(chain, userId, at);
  if (!period) {
    if (!chain.members.has(userId) && at >= headSeq(chain))
      return hold(
        `A ${what} was ${verb} by someone this computer does not know as a member yet. It waits ` +
          'here and applies once the clinic’s membership record names them.',
      );
    return refuse(`A ${what} was ${verb} by someone who was not a member then, so it was refused.`);
  }
  if (!period.active)
    return refuse(
      `A ${what} was ${verb} by someone who had been removed from the clinic, so it was refused.`,
    );
  if (!can(period.roles, action, kind))
    return refuse(
      `A ${what} was ${verb} by someone whose role does not allow them to ${ACTION_WORDS[action]} ` +
        `${plural(what)}, so it was refused.`,
    );
  return ACCEPT;
}

/** The signature this computer already holds for the record: taken before, not checked again. */
function sameSignature(local: AnyRecord | undefined, remote: AnyRecord) {
  return !!local?.signature && JSON.stringify(local.signature) === JSON.stringify(remote.signature);
}
