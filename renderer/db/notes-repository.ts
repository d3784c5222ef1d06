/**
 * Session notes and integration summaries: start a note (with its visit), autosave a draft without
 * ever overwriting someone else's newer save, sign, add addenda, mark in error. Screens call these;
 * the store underneath enforces role, schema and the signed-is-final lifecycle.
 */
import type {
  Appointment,
  Encounter,
  IntegrationSummaryBody,
  NoteTemplateBody,
  SessionNote,
  TimedEntry,
  VisitKind,
} from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { copiedSections } from '../../shared/rules/copy-forward';
import { supervisorOfSigner } from './co-signature-repository';
import { settingForVisit } from '../../shared/rules/visits';
import { uuidv7 } from '../../shared/util/ids';
import { ConcurrentEditError, type RecordStore } from './record-store';

/** The visit a template usually belongs to; general formats (SOAP, DAP, BIRP) ask. */
const TEMPLATE_VISIT: Record<string, VisitKind> = {
  'kap-preparation': 'preparation',
  'dosing-session': 'dosing',
  'integration-session': 'integration',
};
export const visitKindForTemplate = (templateKey: string): VisitKind | undefined =>
  TEMPLATE_VISIT[templateKey];

/**
 * The visit a note documents: one already on the chart (a dosing visit), the visit of a booked
 * appointment (made the first time anything is charted for it, then shared), or a new visit with
 * its date and time of service, duration and place (a past date makes the note a late entry).
 */
export type NoteVisit =
  | { encounterId: string }
  | { appointment: Appointment }
  | {
      visitKind: VisitKind;
      start?: Date;
      durationMinutes?: number;
      setting?: Encounter['setting'];
    };

/** A new draft note from a template, in the visit it documents (a new one starting now if unsaid). */
export async function startNote(
  store: RecordStore,
  input: {
    patientId: string;
    template: Pick<NoteTemplateBody, 'templateKey' | 'name' | 'sections'>;
    /** Shorthand for `visit: { visitKind }`. */
    visitKind?: VisitKind;
    visit?: NoteVisit;
    now?: Date;
    /** Copy forward: start from this earlier signed note of the patient (same template). */
    copyFrom?: string;
  },
): Promise<SessionNote> {
  const keys = input.template.sections.map((s) => s.key);
  const source = input.copyFrom ? await copySource(store, input) : undefined;
  const visit: NoteVisit = input.visit ?? { visitKind: input.visitKind ?? 'consultation' };
  const encounter = await visitFor(store, input.patientId, visit, input.now ?? new Date());
  return store.create('note', {
    patientId: input.patientId,
    encounterId: encounter.id,
    templateId: input.template.templateKey,
    title: input.template.name,
    sections: source ? copiedSections(keys, source) : Object.fromEntries(keys.map((k) => [k, ''])),
    timeline: [],
    ...(source ? { copiedFrom: source.id } : {}),
  });
}

/** The note to copy forward: this patient's, this template's, and signed (shared/rules/copy-forward). */
async function copySource(
  store: RecordStore,
  input: { patientId: string; template: { templateKey: string }; copyFrom?: string },
): Promise<SessionNote> {
  const source = await store.get('note', input.copyFrom!);
  if (
    !source ||
    source.patientId !== input.patientId ||
    source.templateId !== input.template.templateKey ||
    source.status !== 'signed'
  )
    throw new RuleError(
      'note.copy-forward',
      'Only a signed note of this patient, of the same template, can be copied forward.',
    );
  return source;
}

/** The encounter a note goes into; refused when it belongs to another patient. */
async function visitFor(
  store: RecordStore,
  patientId: string,
  visit: NoteVisit,
  now: Date,
): Promise<Encounter> {
  if ('encounterId' in visit) {
    const found = await store.get('encounter', visit.encounterId);
    if (!found || found.patientId !== patientId)
      throw new RuleError('note.no-visit', 'That visit is not on this patient’s chart.');
    return found;
  }
  if ('appointment' in visit) return visitForAppointment(store, visit.appointment);
  return store.create('encounter', {
    patientId,
    visitKind: visit.visitKind,
    start: (visit.start ?? now).toISOString(),
    ...(visit.durationMinutes ? { durationMinutes: visit.durationMinutes } : {}),
    clinicianId: store.session.user.id,
    setting: visit.setting ?? settingForVisit(visit.visitKind),
  });
}

/**
 * The visit of a booked appointment: the one already charted for it (a dose, another note), else a
 * new one with the booking's date and time of service, length and kind, linked back to it.
 */
export async function visitForAppointment(
  store: RecordStore,
  appointment: Appointment,
): Promise<Encounter> {
  if (appointment.cancelled)
    throw new RuleError(
      'note.cancelled-visit',
      'This appointment was cancelled. Start the note from the chart for a new visit instead.',
    );
  const existing = (await store.listByPatient('encounter', appointment.patientId)).find(
    (e) => e.appointmentId === appointment.id && e.status !== 'entered-in-error',
  );
  if (existing) return existing;
  return store.create('encounter', {
    patientId: appointment.patientId,
    visitKind: appointment.visitKind,
    start: appointment.start,
    durationMinutes: appointment.durationMinutes,
    clinicianId: store.session.user.id,
    appointmentId: appointment.id,
    setting:
      appointment.program === 'telehealth-integration'
        ? 'telehealth'
        : settingForVisit(appointment.visitKind),
  });
}

export type NoteDraftChange = Partial<Pick<SessionNote, 'title' | 'sections' | 'timeline'>>;

/**
 * Save what the editor holds, but only over the version it started from (`basedOn` = the
 * updatedAt it last saw). If another window or device saved in between, this throws
 * ConcurrentEditError and writes nothing: the later writer is told, nobody is silently overwritten.
 */
export async function saveNoteDraft(
  store: RecordStore,
  noteId: string,
  basedOn: string,
  change: NoteDraftChange,
): Promise<SessionNote> {
  return store.update('note', noteId, (current) => {
    if (current.status !== 'draft')
      throw new RuleError(
        'note.not-draft',
        'This note is no longer a draft (it was signed or marked in error), so it cannot be edited. Add an addendum instead.',
      );
    if (current.updatedAt !== basedOn) throw new ConcurrentEditError('note');
    return change;
  });
}

/** The caller has re-checked the passphrase (ConfirmPassphraseDialog). */
export async function signNote(store: RecordStore, noteId: string): Promise<SessionNote> {
  const note = await store.get('note', noteId);
  if (!note) throw new RuleError('not-found', 'That note could not be found.');
  const written = [...Object.values(note.sections), ...note.timeline.map((t) => t.text)].join('');
  if (written.trim() === '')
    throw new RuleError(
      'note.empty',
      'This note has nothing written in it yet. Chart something before signing.',
    );
  const supervisorId = await supervisorOfSigner(store);
  if (!supervisorId) return store.sign('note', noteId);
  // Under supervision: the request to co-sign is signed with the note, in the same write, so a
  // supervised note never stands signed without going to the supervisor (co-signature.ts).
  const { signed } = await store.signWith('note', noteId, async (s) => [
    {
      kind: 'co-signature' as const,
      body: {
        patientId: s.patientId,
        noteId: s.id,
        decision: 'requested' as const,
        supervisorId,
        comment: '',
        writtenAt: s.signature!.at,
      },
      action: 'co-signature-requested' as const,
    },
  ]);
  return signed;
}

export async function addNoteAddendum(
  store: RecordStore,
  noteId: string,
  text: string,
  reason: string,
) {
  const note = await store.get('note', noteId);
  if (!note) throw new RuleError('not-found', 'That note could not be found.');
  return store.addAddendum(note, text, reason);
}

export async function markNoteEnteredInError(store: RecordStore, noteId: string, reason: string) {
  if (reason.trim() === '')
    throw new RuleError('lifecycle.reason-required', 'Say why this note is in error.');
  return store.markEnteredInError('note', noteId, reason.trim());
}

/** A live-charting line stamped now ("14:05 — tearful"). */
export function timedEntry(text: string, at: Date, tags: string[] = []): TimedEntry {
  return { id: uuidv7(at.getTime()), at: at.toISOString(), text, tags };
}

const DAY_MS = 86_400_000;

/**
 * The author's drafts that have stayed unsigned for `alertDays` days or more, oldest first
 * (clinicSettings.unsignedNoteAlertDays; documentation should be completed promptly).
 */
export function unsignedNotesOf(
  notes: readonly SessionNote[],
  authorId: string,
  now: Date,
  alertDays: number,
): SessionNote[] {
  return notes
    .filter(
      (n) =>
        n.status === 'draft' &&
        n.createdBy === authorId &&
        now.getTime() - Date.parse(n.createdAt) >= alertDays * DAY_MS,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Autosave of an integration summary draft, like saveNoteDraft: only over the version the editor
 * last saw, so a save from another window or device is never silently overwritten.
 */
export async function saveIntegrationSummaryDraft(
  store: RecordStore,
  id: string,
  basedOn: string,
  body: IntegrationSummaryBody,
) {
  return store.update('integration-summary', id, (current) => {
    if (current.status !== 'draft')
      throw new RuleError(
        'summary.not-draft',
        'This summary is no longer a draft (it was signed or marked in error), so it cannot be edited.',
      );
    if (current.updatedAt !== basedOn) throw new ConcurrentEditError('integration summary');
    return body;
  });
}

/** Save an integration summary: create it, or edit the draft it already is. */
export async function saveIntegrationSummary(
  store: RecordStore,
  id: string | undefined,
  body: IntegrationSummaryBody,
) {
  if (!id) return store.create('integration-summary', body);
  return store.update('integration-summary', id, () => body);
}

/** Save what is on screen, then sign it (the caller has re-checked the passphrase). */
export async function signIntegrationSummary(
  store: RecordStore,
  id: string,
  body: IntegrationSummaryBody,
) {
  await saveIntegrationSummary(store, id, body);
  return store.sign('integration-summary', id);
}
