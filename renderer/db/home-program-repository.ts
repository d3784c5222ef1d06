/**
 * At-home programs (issue 4, item 7): a signed prescription allows a number of sessions taken at
 * home with a named treatment monitor present; each session is charted from the virtual check-in
 * as a dose record with setting 'at-home' (shared/rules/home-program). Enforced here, whatever the
 * screen shows: esketamine never (Spravato REMS), a prescription only for an eligible patient with
 * a current at-home consent, no session and no refill past what was prescribed.
 */
import {
  HomePrescriptionBody,
  type DoseRecord,
  type Encounter,
  type HomePrescription,
} from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { eligibilityProblem } from '../../shared/rules/eligibility';
import {
  assertRefillAllowed,
  homeProgramStatus,
  refuseEsketamineAtHome,
  type HomeProgramStatus,
} from '../../shared/rules/home-program';
import { assertCan } from '../../shared/rules/permissions';
import { doseConsent, startDose } from './dose-repository';
import { patientEligibility } from './eligibility-repository';
import { ValidationError, type RecordStore } from './record-store';

export type HomePrescriptionInput = Omit<HomePrescriptionBody, 'writtenAt' | 'refillOf'>;

/** Eligible and consented to the at-home program at `now`, or the reason why not. */
async function assertMayPrescribe(store: RecordStore, patientId: string, now: Date) {
  const standing = eligibilityProblem(await patientEligibility(store, patientId, now));
  if (standing)
    throw new RuleError('home.not-eligible', `Cannot prescribe an at-home program: ${standing}.`);
  const consent = await doseConsent(
    store,
    { patientId, medication: 'ketamine-hcl', setting: 'at-home' },
    now,
  );
  if (!consent.current)
    throw new RuleError(
      'home.no-consent',
      `Cannot prescribe an at-home program: ${consent.reason}.`,
    );
}

/** Write and sign the prescription (the caller re-checked the prescriber's passphrase). */
export async function prescribeHomeProgram(
  store: RecordStore,
  input: HomePrescriptionInput,
  now = new Date(),
): Promise<HomePrescription> {
  assertCan(store.roles, 'sign', 'home-prescription');
  refuseEsketamineAtHome(input.medication);
  const parsed = HomePrescriptionBody.safeParse({ ...input, writtenAt: now.toISOString() });
  if (!parsed.success) throw new ValidationError(parsed.error.issues);
  await assertMayPrescribe(store, input.patientId, now);
  return store.createSigned('home-prescription', parsed.data);
}

/** A refill of a signed original, up to its refills allowed; the same terms, dated now. */
export async function refillHomeProgram(
  store: RecordStore,
  originalId: string,
  now = new Date(),
): Promise<HomePrescription> {
  assertCan(store.roles, 'sign', 'home-prescription');
  const original = await mustGet(store, originalId);
  const all = await store.listByPatient('home-prescription', original.patientId);
  assertRefillAllowed(original, all);
  await assertMayPrescribe(store, original.patientId, now);
  const { patientId, medication, form, strengthMg, quantity, sessionsAllowed, instructions } =
    original;
  return store.createSigned('home-prescription', {
    patientId,
    medication,
    form,
    strengthMg,
    quantity,
    sessionsAllowed,
    instructions,
    monitorName: original.monitorName,
    monitorPhone: original.monitorPhone,
    refillsAllowed: 0,
    refillOf: original.id,
    writtenAt: now.toISOString(),
  });
}

export type HomeProgram = {
  original: HomePrescription;
  refills: HomePrescription[];
  status: HomeProgramStatus;
  sessions: DoseRecord[];
};

/** The patient's at-home programs (signed originals, newest first) with sessions used and left. */
export async function homePrograms(store: RecordStore, patientId: string): Promise<HomeProgram[]> {
  const [prescriptions, doses] = await Promise.all([
    store.listByPatient('home-prescription', patientId),
    store.canRead('dose') ? store.listByPatient('dose', patientId) : Promise.resolve([]),
  ]);
  const sessions = doses.filter((d) => d.setting === 'at-home' && d.homePrescriptionId);
  return prescriptions
    .filter((p) => !p.refillOf && p.status === 'signed')
    .sort((a, b) => b.writtenAt.localeCompare(a.writtenAt))
    .map((original) => {
      const refills = prescriptions
        .filter((p) => p.refillOf === original.id && p.status === 'signed')
        .sort((a, b) => a.writtenAt.localeCompare(b.writtenAt));
      const ids = new Set([original.id, ...refills.map((r) => r.id)]);
      return {
        original,
        refills,
        status: homeProgramStatus(original, prescriptions, sessions),
        sessions: sessions.filter((s) => ids.has(s.homePrescriptionId!)),
      };
    });
}

/**
 * Open the chart of one at-home session against a prescription: refused, with the reason, when
 * every session it (and its refills) allows is used, and by startDose without eligibility or a
 * current at-home consent. The session counts from the moment it is charted.
 */
export async function startHomeSession(
  store: RecordStore,
  prescriptionId: string,
  now = new Date(),
): Promise<{ encounter: Encounter; dose: DoseRecord }> {
  assertCan(store.roles, 'write', 'dose');
  const prescription = await mustGet(store, prescriptionId);
  if (prescription.status !== 'signed')
    throw new RuleError('home.prescription-unsigned', 'This prescription is not signed.');
  const program = (await homePrograms(store, prescription.patientId)).find(
    (p) => p.original.id === (prescription.refillOf ?? prescription.id),
  );
  if (!program) throw new RuleError('not-found', 'That prescription could not be found.');
  const { status } = program;
  if (status.sessionsLeft === 0)
    throw new RuleError(
      'home.no-sessions-left',
      `All ${status.sessionsAllowed} sessions on this prescription are used — ` +
        (status.refillsLeft > 0
          ? `issue a refill (${status.refillsLeft} left) before charting another session`
          : 'no refills are left: write a new prescription after reviewing the program'),
    );
  // Sessions count against the newest issued prescription of the program (original or refill).
  const current = [program.original, ...program.refills].at(-1)!;
  return startDose(
    store,
    {
      patientId: prescription.patientId,
      medication: prescription.medication,
      route: prescription.form,
      doseMg: prescription.strengthMg,
      setting: 'at-home',
      homePrescriptionId: current.id,
    },
    now,
  );
}

async function mustGet(store: RecordStore, id: string): Promise<HomePrescription> {
  const p = await store.get('home-prescription', id);
  if (!p) throw new RuleError('not-found', 'That prescription could not be found.');
  return p;
}
