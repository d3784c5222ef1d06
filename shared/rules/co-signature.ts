/**
 * Supervisor co-signature. A clinician under supervision (an associate or pre-licensed therapist:
 * state licensing boards have a supervisor review and countersign their clinical records; CMS's
 * teaching-physician rule, 42 CFR 415.172, is the same idea for medicine) signs a note as usual —
 * it is final — and it goes to their supervisor, who co-signs it or returns it with a comment. A
 * returned note is answered with an addendum by its author, and then asks again.
 *
 * Each step is its own signed `co-signature` record pointing at the note: the request (signed by
 * the author with the note, naming the supervisor of the day), then the supervisor's answers.
 * Nothing here changes a signed note.
 */
import type { Addendum, SessionNote } from '../model/note';
import type { CoSignature } from '../model/co-signature';
import type { User } from '../model/user';
import { RuleError } from './errors';

type Note = Pick<SessionNote, 'id' | 'status' | 'createdBy'>;
export type CoSignatureStep = Pick<
  CoSignature,
  'noteId' | 'decision' | 'supervisorId' | 'comment' | 'createdAt' | 'createdBy' | 'status'
> &
  Partial<Pick<CoSignature, 'signature'>>;
type Reply = Pick<Addendum, 'targetId' | 'createdAt' | 'createdBy' | 'status'>;

export type CoSignatureState =
  | { state: 'not-asked' }
  /** Waiting for the supervisor (first time, or again after the author's addendum). */
  | { state: 'requested'; supervisorId: string; request: CoSignatureStep; after?: CoSignatureStep }
  /** Returned: waiting for the author's addendum. */
  | { state: 'returned'; supervisorId: string; request: CoSignatureStep; answer: CoSignatureStep }
  | { state: 'co-signed'; supervisorId: string; request: CoSignatureStep; answer: CoSignatureStep };

const CLINICAL_ROLES = ['therapist', 'prescriber'] as const;
const isClinician = (u: Pick<User, 'roles'>) =>
  u.roles.some((r) => (CLINICAL_ROLES as readonly string[]).includes(r));

/** The supervisor a clinician's notes go to when they sign, or undefined. */
export function supervisorOf(
  author: Pick<User, 'supervisorId'> | undefined,
  users: readonly Pick<User, 'id' | 'active' | 'roles'>[],
): string | undefined {
  const id = author?.supervisorId;
  if (!id) return undefined;
  const supervisor = users.find((u) => u.id === id);
  // A supervisor removed since, or no longer a clinician, cannot answer: the note is not held
  // for someone who can never come (the administrator assigns a new supervisor).
  return supervisor && supervisor.active && isClinician(supervisor) ? id : undefined;
}

/**
 * Who signed a step: the signature's signer, which sync verifies against that person's identity
 * key (renderer/trust/incoming.ts), not a name in a field; a step is only as good as its signer.
 */
const signer = (s: CoSignatureStep) =>
  s.signature ? (s.signature.by === s.createdBy ? s.signature.by : undefined) : undefined;

/** Where a note stands with its co-signature, from its steps and its author's addenda. */
export function coSignatureState(
  note: Note,
  steps: readonly CoSignatureStep[],
  addenda: readonly Reply[],
): CoSignatureState {
  const live = steps
    .filter((s) => s.noteId === note.id && s.status === 'signed')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const request = live.find((s) => s.decision === 'requested' && signer(s) === note.createdBy);
  if (!request || note.status !== 'signed') return { state: 'not-asked' };
  const supervisorId = request.supervisorId;
  const answers = live.filter(
    (s) =>
      s.decision !== 'requested' && signer(s) === supervisorId && s.supervisorId === supervisorId,
  );
  const co = answers.find((a) => a.decision === 'co-signed');
  if (co) return { state: 'co-signed', supervisorId, request, answer: co };
  const last = answers.at(-1);
  if (!last) return { state: 'requested', supervisorId, request };
  const answered = addenda.some(
    (a) =>
      a.targetId === note.id &&
      a.status === 'signed' &&
      a.createdBy === note.createdBy &&
      a.createdAt > last.createdAt,
  );
  return answered
    ? { state: 'requested', supervisorId, request, after: last }
    : { state: 'returned', supervisorId, request, answer: last };
}

/**
 * May `actorId` co-sign or return this note now? The supervisor named on its request, never its
 * author, once per request; a co-signed note is done, a returned one waits for its author.
 */
export function assertMayAnswer(
  note: Note,
  state: CoSignatureState,
  actorId: string,
  decision: 'co-signed' | 'returned',
  comment: string,
): void {
  if (note.createdBy === actorId)
    throw new RuleError(
      'co-signature.own-note',
      'You cannot co-sign or return your own note: your supervisor does.',
    );
  if (state.state === 'not-asked')
    throw new RuleError(
      'co-signature.not-asked',
      'This note does not ask for a co-signature (it is not signed, or its author was not under supervision when signing).',
    );
  if (state.supervisorId !== actorId)
    throw new RuleError(
      'co-signature.not-supervisor',
      'Only the supervisor named on this note can co-sign or return it.',
    );
  if (state.state === 'co-signed')
    throw new RuleError('co-signature.done', 'This note is already co-signed.');
  if (state.state === 'returned')
    throw new RuleError(
      'co-signature.returned',
      'This note was returned to its author; it comes back to you once they answer in an addendum.',
    );
  if (decision === 'returned' && comment.trim().length < 3)
    throw new RuleError(
      'co-signature.comment-required',
      'Say what the author should answer or correct (a few words at least).',
    );
}

/**
 * Who may supervise whom: both clinicians, current, and not the same person. An administrator
 * sets it (the user record is theirs alone to write: shared/rules/permissions).
 */
export function assertMaySupervise(
  user: Pick<User, 'id' | 'roles' | 'active'>,
  supervisor: Pick<User, 'id' | 'roles' | 'active' | 'displayName'> | undefined,
): void {
  if (!isClinician(user))
    throw new RuleError(
      'supervision.not-clinician',
      'Only therapists and prescribers sign notes, so only they can be under supervision.',
    );
  if (!supervisor || !supervisor.active)
    throw new RuleError('supervision.no-supervisor', 'Choose a current colleague as supervisor.');
  if (supervisor.id === user.id)
    throw new RuleError('supervision.self', 'A clinician cannot supervise themselves.');
  if (!isClinician(supervisor))
    throw new RuleError(
      'supervision.supervisor-not-clinician',
      `${supervisor.displayName} is not a therapist or prescriber, so cannot co-sign notes.`,
    );
}

export type CoSignatureItem<N> = { note: N; state: CoSignatureState };

type Signed = Note & { signature?: { at: string } };

/** Notes waiting for this supervisor's co-signature, oldest signed first. */
export function coSignatureRequestsFor<N extends Signed>(
  supervisorId: string,
  notes: readonly N[],
  steps: readonly CoSignatureStep[],
  addenda: readonly Reply[],
): CoSignatureItem<N>[] {
  return withState(notes, steps, addenda)
    .filter((i) => i.state.state === 'requested' && i.state.supervisorId === supervisorId)
    .sort(bySigned);
}

/** This author's notes returned by their supervisor, waiting for an addendum, oldest first. */
export function returnedNotesOf<N extends Signed>(
  authorId: string,
  notes: readonly N[],
  steps: readonly CoSignatureStep[],
  addenda: readonly Reply[],
): CoSignatureItem<N>[] {
  return withState(
    notes.filter((n) => n.createdBy === authorId),
    steps,
    addenda,
  )
    .filter((i) => i.state.state === 'returned')
    .sort(bySigned);
}

function withState<N extends Note>(
  notes: readonly N[],
  steps: readonly CoSignatureStep[],
  addenda: readonly Reply[],
): CoSignatureItem<N>[] {
  return notes.map((note) => ({ note, state: coSignatureState(note, steps, addenda) }));
}

const bySigned = <N extends Signed>(a: CoSignatureItem<N>, b: CoSignatureItem<N>) =>
  (a.note.signature?.at ?? '').localeCompare(b.note.signature?.at ?? '');
