/**
 * "My work today", read for the signed-in clinician: today's visits booked with them and what
 * each still needs, every draft of theirs waiting to be signed, co-signatures asked of them,
 * open suicide-risk alerts on their patients, and those of their patients whose next planned dose
 * or maintenance session is due or overdue. Reads go through indexes ([kind+date],
 * [kind+status]) so that only today's bookings and the open drafts are decrypted.
 */
import type {
  Appointment,
  ClinicSettingsBody,
  DoseRecord,
  Encounter,
  OutcomeMeasure,
  RecordKind,
  SessionNote,
  SignedConsent,
} from '../../shared/model';
import { consentStatus } from '../../shared/rules/consent';
import { type ChartAlert, chartAlerts, measuresDue } from '../../shared/rules/measures';
import {
  type ConsentReminder,
  type DraftToSign,
  type MeasureToReview,
  type VisitNeed,
  consentReminders,
  draftsToSign,
  measuresToReview,
  visitNeeds,
} from '../../shared/rules/my-work';
import { livePackets } from '../../shared/rules/consent-packets';
import { type CoSignatureWork, coSignatureWork } from './co-signature-repository';
import { listPackets } from './consent-packets-repository';
import { notesInConflict } from './notes-repository-conflicts';
import type { RecordStore } from './record-store';
import { type PlanReminder, plansDue } from './treatment-plan-repository';

export type TodayVisit = { appointment: Appointment; visit?: Encounter; needs: VisitNeed[] };
export type MyDraft = DraftToSign & { title: string; conflicted: boolean; link: string };
export type PatientAlerts = { patientId: string; alerts: ChartAlert[] };

export type MyWork = {
  today: TodayVisit[];
  drafts: MyDraft[];
  alerts: PatientAlerts[];
  /** Notes asking me to co-sign, and mine returned to me (issue 16 point 6). */
  coSignature: CoSignatureWork;
  /** My patients whose next planned dose or maintenance session is due or overdue. */
  reminders: PlanReminder[];
  /** Questionnaires patients answered in patient mode, not yet reviewed (roles that read measures). */
  toReview: (MeasureToReview & { alert?: string })[];
  /** Forms of my patients expiring within 30 days (issue 17). */
  expiring: ConsentReminder[];
};

const DAY = 86_400_000;
/** "My patients" for risk alerts: booked with me or seen by me in this window. */
const MY_PATIENTS_BACK_MS = 180 * DAY;
const MY_PATIENTS_AHEAD_MS = 60 * DAY;

/** The kinds of draft a clinician signs, with how each is named and opened. */
const DRAFT_KINDS: { kind: RecordKind; title: (r: never) => string; link: (r: never) => string }[] =
  [
    {
      kind: 'note',
      title: (n: SessionNote) => n.title || 'Note',
      link: (n: SessionNote) => `/patients/${n.patientId}/notes/${n.id}`,
    },
    {
      kind: 'integration-summary',
      title: () => 'Integration summary',
      link: (s: { id: string; patientId: string }) =>
        `/patients/${s.patientId}/integration/${s.id}`,
    },
    {
      kind: 'dose',
      title: () => 'Dose record',
      link: (d: { id: string }) => `/doses/${d.id}`,
    },
  ];

export async function myWorkToday(
  store: RecordStore,
  settings: Pick<ClinicSettingsBody, 'unsignedNoteAlertDays' | 'measureSchedule'>,
  now = new Date(),
): Promise<MyWork> {
  const mine = myPatientIds(store, now);
  const [today, drafts, alerts, coSignature, reminders, toReview, expiring] = await Promise.all([
    todayVisits(store, settings, now),
    myDrafts(store, settings.unsignedNoteAlertDays, now),
    mine.then((ids) => myPatientsAlerts(store, ids)),
    coSignatureWork(store),
    mine.then((ids) => plansDue(store, ids, now)),
    patientMeasuresToReview(store, now),
    mine.then((ids) => expiringConsents(store, ids, now)),
  ]);
  return { today, drafts, alerts, coSignature, reminders, toReview, expiring };
}

/**
 * Every questionnaire a patient answered in patient mode that waits for review, clinic-wide: the
 * staff member who handed the tablet over may not read measures (a practice manager), so no
 * clinician is "its" author; any clinician who reads measures sees it until one reviews it.
 */
async function patientMeasuresToReview(
  store: RecordStore,
  now: Date,
): Promise<(MeasureToReview & { alert?: string })[]> {
  if (!store.canRead('measure')) return [];
  const drafts = await store.listKindInStatus('measure', 'draft');
  return measuresToReview(drafts, now).map((m) => {
    const alert = chartAlerts(drafts.filter((d) => d.id === m.id))[0];
    return alert ? { ...m, alert: alert.message } : m;
  });
}

/** Forms expiring within 30 days for my patients, for each program a live packet requires. */
async function expiringConsents(
  store: RecordStore,
  mine: Set<string>,
  now: Date,
): Promise<ConsentReminder[]> {
  if (mine.size === 0) return [];
  const [templates, packets] = await Promise.all([
    store.listKind('consent-template'),
    listPackets(store),
  ]);
  const live = livePackets(packets);
  const name = (program: string) => live.find((p) => p.program === program)?.name ?? program;
  const perPatient = await Promise.all(
    [...mine].map(async (patientId) => {
      const consents = await store.listByPatient('signed-consent', patientId);
      if (consents.length === 0) return [];
      // The programs the patient signed for (a form shared by every packet is not "needed for"
      // programs they never joined); all live ones when no consent names its program.
      const joined = new Set(consents.map((c) => c.program).filter(Boolean));
      const programs = joined.size ? live.filter((p) => joined.has(p.program)) : live;
      const statuses = programs.map((p) =>
        consentStatus({ consents, templates, packets, program: p.program, at: now }),
      );
      return consentReminders(patientId, statuses, name, now);
    }),
  );
  return perPatient.flat().sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

/** The calendar day on this device: from local midnight to the next. */
function dayBounds(now: Date): [Date, Date] {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return [start, new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)];
}

async function todayVisits(
  store: RecordStore,
  settings: Pick<ClinicSettingsBody, 'measureSchedule'>,
  now: Date,
): Promise<TodayVisit[]> {
  const me = store.session.user.id;
  const [from, to] = dayBounds(now);
  const booked = (await store.listKindBetween('appointment', from, to))
    .filter((a) => a.clinicianId === me && a.status !== 'entered-in-error')
    .sort((a, b) => a.start.localeCompare(b.start));
  if (booked.length === 0) return [];
  const [templates, packets] = await Promise.all([
    store.listKind('consent-template'),
    listPackets(store),
  ]);
  const signsDoses = store.canRead('dose') && store.roles.includes('prescriber');
  const perPatient = new Map<string, Promise<PatientFacts>>();
  const facts = (patientId: string) => {
    let f = perPatient.get(patientId);
    if (!f) perPatient.set(patientId, (f = patientFacts(store, patientId, signsDoses)));
    return f;
  };
  return Promise.all(
    booked.map(async (appointment) => {
      const f = await facts(appointment.patientId);
      const visit = f.encounters.find(
        (e) => e.appointmentId === appointment.id && e.status !== 'entered-in-error',
      );
      const inVisit = <T extends { encounterId?: string }>(list: T[]) =>
        visit ? list.filter((r) => r.encounterId === visit.id) : [];
      const due = store.canRead('measure')
        ? measuresDue(settings, f.measures, {
            id: visit?.id,
            visitKind: appointment.visitKind,
            start: appointment.start,
          })
        : [];
      const consent = appointment.program
        ? {
            program: appointment.program,
            state: consentStatus({
              consents: f.consents,
              templates,
              packets,
              program: appointment.program,
              at: now,
            }).status,
          }
        : undefined;
      const needs = visitNeeds({
        me,
        cancelled: appointment.cancelled,
        notes: inVisit(f.notes),
        doses: inVisit(f.doses),
        measuresDue: due,
        consent,
        signsDoses,
      });
      return { appointment, visit, needs };
    }),
  );
}

type PatientFacts = {
  encounters: Encounter[];
  notes: SessionNote[];
  doses: DoseRecord[];
  measures: OutcomeMeasure[];
  consents: SignedConsent[];
};

async function patientFacts(
  store: RecordStore,
  patientId: string,
  readsDoses: boolean,
): Promise<PatientFacts> {
  const [encounters, notes, doses, measures, consents] = await Promise.all([
    store.listByPatient('encounter', patientId),
    store.canRead('note') ? store.listByPatient('note', patientId) : ([] as SessionNote[]),
    readsDoses ? store.listByPatient('dose', patientId) : ([] as DoseRecord[]),
    store.canRead('measure') ? store.listByPatient('measure', patientId) : ([] as OutcomeMeasure[]),
    store.listByPatient('signed-consent', patientId),
  ]);
  return { encounters, notes, doses, measures, consents };
}

async function myDrafts(store: RecordStore, overdueAfterDays: number, now: Date) {
  const me = store.session.user.id;
  const lists = await Promise.all(
    DRAFT_KINDS.filter((k) => store.canRead(k.kind)).map(async (k) => ({
      k,
      drafts: await store.listKindInStatus(k.kind, 'draft'),
    })),
  );
  const notes = (lists.find((l) => l.k.kind === 'note')?.drafts ?? []) as SessionNote[];
  const conflicted = notesInConflict(notes);
  const byId = new Map<string, { title: string; link: string }>();
  const all = lists.flatMap(({ k, drafts }) =>
    drafts.map((d) => {
      byId.set(d.id, { title: k.title(d as never), link: k.link(d as never) });
      return { ...d, patientId: (d as { patientId: string }).patientId };
    }),
  );
  return draftsToSign(all, me, now, overdueAfterDays).map((d) => ({
    ...d,
    ...byId.get(d.id)!,
    conflicted: conflicted.has(d.id),
  }));
}

/** "My patients": booked with me or seen by me within the window. */
async function myPatientIds(store: RecordStore, now: Date): Promise<Set<string>> {
  const me = store.session.user.id;
  const from = new Date(now.getTime() - MY_PATIENTS_BACK_MS);
  const [booked, seen] = await Promise.all([
    store.listKindBetween('appointment', from, new Date(now.getTime() + MY_PATIENTS_AHEAD_MS)),
    store.listKindBetween('encounter', from, new Date(now.getTime() + DAY)),
  ]);
  return new Set([...booked, ...seen].filter((r) => r.clinicianId === me).map((r) => r.patientId));
}

async function myPatientsAlerts(store: RecordStore, mine: Set<string>): Promise<PatientAlerts[]> {
  if (!store.canRead('measure')) return [];
  const out = await Promise.all(
    [...mine].map(async (patientId) => ({
      patientId,
      alerts: chartAlerts(await store.listByPatient('measure', patientId)),
    })),
  );
  return out.filter((p) => p.alerts.length > 0);
}
