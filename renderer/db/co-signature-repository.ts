/**
 * Supervisor co-signature (issue 16 point 6): an administrator puts a clinician under a
 * supervisor's supervision (a field of the user record, which only administrators write and every
 * computer checks as such on sync); a supervised clinician's signed note asks that supervisor to
 * co-sign (notes-repository signNote); the supervisor co-signs it or returns it with a comment,
 * each a signed record of its own after re-entering their passphrase. Rules: shared/rules/co-signature.
 */
import type { CoSignature, SessionNote, User } from '../../shared/model';
import {
  type CoSignatureItem,
  type CoSignatureState,
  assertMayAnswer,
  assertMaySupervise,
  coSignatureRequestsFor,
  coSignatureState,
  returnedNotesOf,
  supervisorOf,
} from '../../shared/rules/co-signature';
import { RuleError } from '../../shared/rules/errors';
import { assertCan } from '../../shared/rules/permissions';
import { verifyPassphrase } from './auth';
import type { RecordStore } from './record-store';

/** Put a clinician under supervision (a colleague's id), or end it (null). Administrators only. */
export async function setSupervisor(
  store: RecordStore,
  userId: string,
  supervisorId: string | null,
): Promise<User> {
  assertCan(store.roles, 'write', 'user');
  const user = await store.get('user', userId);
  if (!user) throw new RuleError('not-found', 'That user could not be found.');
  if (supervisorId) assertMaySupervise(user, await store.get('user', supervisorId));
  return store.update('user', userId, () => ({ supervisorId }));
}

/** The supervisor the signed-in clinician's notes go to now, if they are under supervision. */
export async function supervisorOfSigner(store: RecordStore): Promise<string | undefined> {
  const users = await store.listKind('user');
  return supervisorOf(
    users.find((u) => u.id === store.session.user.id),
    users,
  );
}

/** Where a note stands: its co-signature steps and its addenda, read from its chart. */
export async function noteCoSignature(
  store: RecordStore,
  note: SessionNote,
): Promise<CoSignatureState> {
  const [steps, addenda] = await Promise.all([
    store.listByPatient('co-signature', note.patientId),
    store.listByPatient('addendum', note.patientId),
  ]);
  return coSignatureState(note, steps, addenda);
}

/** Co-sign a supervised clinician's note (after their own passphrase, checked here). */
export function coSignNote(
  store: RecordStore,
  noteId: string,
  passphrase: string,
  comment = '',
): Promise<CoSignature> {
  return answer(store, noteId, passphrase, 'co-signed', comment);
}

/** Return it to its author with what to answer (they answer in an addendum). */
export function returnNote(
  store: RecordStore,
  noteId: string,
  passphrase: string,
  comment: string,
): Promise<CoSignature> {
  return answer(store, noteId, passphrase, 'returned', comment);
}

async function answer(
  store: RecordStore,
  noteId: string,
  passphrase: string,
  decision: 'co-signed' | 'returned',
  comment: string,
): Promise<CoSignature> {
  const me = store.session.user.id;
  // Co-signing is signing: the passphrase is asked again (21 CFR 11.200(a)), and a wrong one
  // leaves nothing written.
  if (!(await verifyPassphrase(store.db, me, passphrase)))
    throw new RuleError('passphrase.wrong', 'That passphrase is not correct. Nothing was signed.');
  const note = await store.get('note', noteId);
  if (!note) throw new RuleError('not-found', 'That note could not be found.');
  assertMayAnswer(note, await noteCoSignature(store, note), me, decision, comment);
  return store.createSigned(
    'co-signature',
    {
      patientId: note.patientId,
      noteId,
      decision,
      supervisorId: me,
      comment: comment.trim(),
      writtenAt: new Date().toISOString(),
    },
    decision === 'co-signed' ? 'co-signed' : 'co-signature-returned',
  );
}

export type CoSignatureWork = {
  /** Notes asking me to co-sign, oldest first. */
  requests: CoSignatureItem<SessionNote>[];
  /** My notes my supervisor returned, waiting for my addendum. */
  returned: CoSignatureItem<SessionNote>[];
};

/**
 * What supervision asks of me today. Reads the co-signature records (few: only supervised notes
 * have any) and then only the notes and addenda they point at.
 */
export async function coSignatureWork(store: RecordStore): Promise<CoSignatureWork> {
  const me = store.session.user.id;
  if (!store.canRead('co-signature') || !store.canRead('note'))
    return { requests: [], returned: [] };
  const steps = await store.listKind('co-signature');
  const concerned = steps.filter(
    (s) => s.decision === 'requested' && (s.supervisorId === me || s.createdBy === me),
  );
  if (concerned.length === 0) return { requests: [], returned: [] };
  const patients = [...new Set(concerned.map((s) => s.patientId))];
  const [notes, addenda] = await Promise.all([
    Promise.all(concerned.map((s) => store.get('note', s.noteId))),
    Promise.all(patients.map((p) => store.listByPatient('addendum', p))),
  ]);
  const found = notes.filter((n): n is SessionNote => !!n);
  const all = addenda.flat();
  return {
    requests: coSignatureRequestsFor(me, found, steps, all),
    returned: returnedNotesOf(me, found, steps, all),
  };
}
