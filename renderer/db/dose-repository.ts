/**
 * Dose records (issue 4). Every clinical rule for a dose is enforced here, whatever the screen
 * shows: no dose is started without a current signed eligible evaluation and a current consent;
 * lots come from inventory (never typed) and an expired one is refused; overrides need a reason
 * and are audited; signing runs every safety check again (assertDoseMaySign) and then appends the
 * controlled-substance administration from the signed record, so the amount is never typed twice.
 */
import { defaultConsentPackets, defaultConsentTemplates } from '../../shared/consent-defaults';
import {
  AdverseEvent,
  Bolus,
  DoseBody,
  Observation,
  RateChange,
  VitalSigns,
  type DoseRecord,
  type Encounter,
  type InventoryTransaction,
} from '../../shared/model';
import { consentStatus } from '../../shared/rules/consent';
import { effectivePackets } from '../../shared/rules/consent-packets';
import {
  assertDoseMaySign,
  clinicDay,
  doseGivenAt,
  evaluateDoseSafety,
  overrideFinding,
  pickDosingSettings,
  sameValues,
  totalGivenMg,
  unresolvedFindings,
  type FindingValues,
  type DoseSafetyInput,
  type SafetyFinding,
} from '../../shared/rules/dosing';
import { eligibilityProblem } from '../../shared/rules/eligibility';
import { RuleError } from '../../shared/rules/errors';
import { checkHomeSession, refuseEsketamineAtHome } from '../../shared/rules/home-program';
import { assertCan } from '../../shared/rules/permissions';
import { doseSettings } from './clinic-settings-repository';
import { clinicSettings, patientEligibility } from './eligibility-repository';
import { administrationEntry, lotBalanceAtSigning } from './inventory-repository';
import { ValidationError, type RecordStore } from './record-store';

type DoseFacts = Pick<DoseBody, 'patientId' | 'medication' | 'setting'>;

/** The consent program a dose belongs to (resources/consent-templates/packets.json). */
export function consentProgram(dose: Pick<DoseBody, 'medication' | 'setting'>): string {
  if (dose.medication === 'esketamine-nasal') return 'esketamine';
  return dose.setting === 'at-home' ? 'at-home-troches' : 'in-office-iv';
}

const GAP_WORDS: Record<string, string> = {
  missing: 'not signed',
  expired: 'expired',
  withdrawn: 'withdrawn',
  reconsent: 're-consent needed',
};

const PROGRAM_WORDS: Record<string, string> = {
  esketamine: 'esketamine',
  'at-home-troches': 'at-home',
  'in-office-iv': 'in-office ketamine',
};

/** Is the patient's consent for this dose's program current at `at`, and if not, why not. */
export async function doseConsent(
  store: RecordStore,
  dose: DoseFacts,
  at: Date,
): Promise<{ current: boolean; reason?: string }> {
  const stored = await store.listKind('consent-template');
  // A clinic that has not customised its forms yet works from the shipped defaults (version 1).
  const templates = stored.length ? stored : defaultConsentTemplates();
  const consents = await store.listByPatient('signed-consent', dose.patientId);
  const program = consentProgram(dose);
  // The clinic's packets say which forms a program requires (shared/rules/consent-packets.ts).
  const packets = effectivePackets(
    await store.listKind('consent-packet'),
    templates,
    defaultConsentPackets(),
  );
  const status = consentStatus({ consents, templates, packets, program, at });
  if (status.status === 'current' || status.status === 'expiring') return { current: true };
  const gaps = status.forms
    .filter((f) => f.state !== 'current' && f.state !== 'expiring')
    .map((f) => `${f.template.title} (${GAP_WORDS[f.state]})`);
  const words = PROGRAM_WORDS[program] ?? program;
  return {
    current: false,
    reason: status.unconfigured
      ? `No consent forms are set up for the ${words} program — ask the practice manager`
      : `No current consent for ${words} treatment: ${gaps.join(', ')} — have the patient sign ` +
        'before dosing',
  };
}

/**
 * Every safety finding for the dose as it stands, at `at` (when it is or was given). An at-home
 * session is checked with the at-home rules: thresholds, monitor present, sessions left.
 */
export async function doseFindings(
  store: RecordStore,
  dose: DoseSafetyInput['dose'] &
    Partial<Pick<DoseBody, 'homePrescriptionId' | 'monitorPresent' | 'appliedSettings'>> & {
      status?: DoseRecord['status'];
    },
  at: Date,
  now: Date = at,
): Promise<SafetyFinding[]> {
  const [settings, eligibility, consent, otherDoses] = await Promise.all([
    // A signed dose is judged by the thresholds it was signed under, a draft by today's.
    doseSettings(store, dose.status === 'signed' ? dose : {}),
    store.listByPatient('eligibility', dose.patientId),
    // A clinical time is typed to the minute and stands for all of it: a consent signed at 10:03:30
    // is before an infusion recorded as started at 10:03.
    doseConsent(store, dose, new Date(Math.floor(at.getTime() / 60_000) * 60_000 + 59_999)),
    store.listByPatient('dose', dose.patientId),
  ]);
  const input = {
    dose,
    at,
    now,
    ...(settings.timeZone ? { timeZone: settings.timeZone } : {}),
    settings,
    eligibility,
    consentCurrent: consent.current,
    consentReason: consent.reason,
    otherDoses,
  };
  if (dose.setting !== 'at-home') return evaluateDoseSafety(input);
  // At home, whatever path wrote the record: the session counts against this patient's signed
  // prescription, with its monitor and sessions left (issue 15, finding 5).
  const prescription = dose.homePrescriptionId
    ? await store.get('home-prescription', dose.homePrescriptionId)
    : undefined;
  const homeStop = (rule: string, message: string): SafetyFinding => ({
    rule,
    severity: 'stop',
    message,
    source: 'At-home program protocol (PRODUCT.md): sessions only under a signed prescription',
  });
  if (!prescription)
    return [
      homeStop(
        'home.no-prescription',
        'An at-home session needs the prescription it counts against — chart it from the at-home program',
      ),
      ...evaluateDoseSafety(input),
    ];
  if (prescription.patientId !== dose.patientId)
    return [
      homeStop('home.other-patient', 'That prescription was written for another patient'),
      ...evaluateDoseSafety(input),
    ];
  return checkHomeSession({
    ...input,
    dose: { ...dose, monitorPresent: dose.monitorPresent },
    prescription,
    prescriptions: await store.listByPatient('home-prescription', dose.patientId),
    sessions: otherDoses.filter((d) => d.setting === 'at-home'),
  });
}

/** When the dose's checks are judged: when it was given, or now while it is being prepared. */
export const doseMoment = (dose: Pick<DoseBody, 'administeredAt' | 'infusionStart'>, now: Date) =>
  new Date(doseGivenAt(dose) ?? now.toISOString());

export type StartDoseInput = Pick<DoseBody, 'patientId' | 'medication' | 'route' | 'doseMg'> & {
  setting?: DoseBody['setting'];
  /** At-home sessions: the prescription it counts against (home-program-repository). */
  homePrescriptionId?: string;
};

/**
 * Opens the dosing encounter and its draft dose record. Refused, with the reason, when the
 * patient has no current signed eligible evaluation or no current consent (hard stops).
 */
export async function startDose(
  store: RecordStore,
  input: StartDoseInput,
  now = new Date(),
): Promise<{ encounter: Encounter; dose: DoseRecord }> {
  assertCan(store.roles, 'write', 'dose'); // before the encounter, so a refusal leaves nothing behind
  const setting = input.setting ?? 'in-office';
  if (setting === 'at-home') refuseEsketamineAtHome(input.medication);
  const standing = eligibilityProblem(await patientEligibility(store, input.patientId, now));
  if (standing) throw new RuleError('dose.not-eligible', `Cannot record a dose: ${standing}.`);
  const consent = await doseConsent(store, { ...input, setting }, now);
  if (!consent.current)
    throw new RuleError('dose.no-consent', `Cannot record a dose: ${consent.reason}.`);
  const me = store.session.user.id;
  const encounter = await store.create('encounter', {
    patientId: input.patientId,
    visitKind: 'dosing',
    start: now.toISOString(),
    clinicianId: me,
    setting,
  });
  const body = DoseBody.parse({
    ...input,
    setting,
    encounterId: encounter.id,
    prescriberId: me,
    administeredBy: me,
  });
  return { encounter, dose: await store.create('dose', body) };
}

/** Fields the form may not change: who and what the record is about. */
const FIXED = [
  'patientId',
  'encounterId',
  'prescriberId',
  'overrides',
  // An at-home session stays at home and on its prescription (its count depends on it).
  'setting',
  'homePrescriptionId',
  // Set at signing from the clinic's settings and the log, never from a form.
  'appliedSettings',
  'lotAtSigning',
] as const;

/**
 * Edit a draft dose. A lot is chosen by id and its number and expiry are copied from inventory;
 * an expired lot or one of another medication is refused. An infusion with start, starting rate
 * and end gets its total given computed.
 */
export async function updateDose(
  store: RecordStore,
  id: string,
  change: Partial<DoseBody>,
  now = new Date(),
): Promise<DoseRecord> {
  const current = await mustGetDose(store, id);
  for (const key of FIXED)
    if (key in change && JSON.stringify(change[key]) !== JSON.stringify(current[key]))
      throw new RuleError('dose.fixed-field', `The dose record's ${key} cannot be changed here.`);
  const next: Partial<DoseBody> = { ...change };
  const merged = { ...current, ...next };
  if (merged.setting === 'at-home') refuseEsketamineAtHome(merged.medication);
  if (change.lotId && change.lotId !== current.lotId) {
    const lot = await store.get('inventory-lot', change.lotId);
    if (!lot) throw new RuleError('dose.lot-missing', 'That lot is not in the inventory.');
    if (lot.medication !== merged.medication)
      throw new RuleError(
        'dose.lot-medication',
        `Lot ${lot.lotNumber} holds a different medication.`,
      );
    const day = clinicDay(doseMoment(merged, now), (await clinicSettings(store)).timeZone);
    if (lot.expiry < day)
      throw new RuleError(
        'lot.expired',
        `Lot ${lot.lotNumber} expired on ${lot.expiry} — use an unexpired lot`,
      );
    Object.assign(next, { lotNumber: lot.lotNumber, lotExpiry: lot.expiry });
  }
  // The total is never typed: computed from the infusion whenever it is complete, cleared when not.
  next.totalGivenMg = infusionTotal(merged);
  const startingAt = doseGivenAt(merged);
  // Judged on the record as it will be stored: a lot chosen in this same save counts with its
  // number and expiry.
  if (startingAt && startingAt !== doseGivenAt(current))
    await assertMayStart(store, { ...current, ...next, id }, new Date(startingAt), now);
  return store.update('dose', id, () => next);
}

/**
 * Recording the start of administration (infusion start, or the time given) is refused while a
 * hard stop or an unanswered needs-reason finding stands: high baseline BP, mg/kg outside the
 * range, no baseline, a non-labeled esketamine dose… (issue 15, finding 4: "before dosing goes
 * on", not at signing).
 */
async function assertMayStart(
  store: RecordStore,
  dose: DoseBody & { id: string },
  startAt: Date,
  now: Date,
): Promise<void> {
  const findings = await doseFindings(store, dose, startAt, now);
  const open = unresolvedFindings(findings, dose.overrides);
  if (open.length)
    throw new RuleError(
      'dose.start-blocked',
      `Dosing cannot start yet: ${open
        .map((f) => (f.severity === 'stop' ? f.message : `${f.message} (no reason recorded)`))
        .join('; ')}.`,
    );
}

/** An infusion's total given from its own fields; undefined until start, rate and end are there. */
function infusionTotal(dose: Partial<DoseBody>): number | undefined {
  if (dose.route !== 'iv-infusion') return undefined;
  if (!dose.infusionStart || !dose.infusionEnd || dose.initialRateMgPerHour === undefined)
    return undefined;
  return totalGivenMg({
    infusionStart: dose.infusionStart,
    infusionEnd: dose.infusionEnd,
    initialRateMgPerHour: dose.initialRateMgPerHour,
    rateChanges: dose.rateChanges ?? [],
    boluses: dose.boluses ?? [],
  });
}

export async function addVitals(store: RecordStore, id: string, reading: unknown) {
  const v = parse(VitalSigns, reading);
  const dose = await mustGetDose(store, id);
  return updateDose(store, id, { vitals: [...dose.vitals, v] });
}

/** A change of infusion rate (0 mg/h pauses it) with its reason; the total given is recomputed. */
export async function addRateChange(store: RecordStore, id: string, change: unknown) {
  const c = parse(RateChange, change);
  const dose = await mustGetDose(store, id);
  if (dose.route !== 'iv-infusion')
    throw new RuleError('dose.not-infusion', 'Rate changes are recorded for IV infusions only.');
  return updateDose(store, id, { rateChanges: [...dose.rateChanges, c] });
}

/** A bolus during an infusion, with its reason; it counts in the total given and in mg/kg. */
export async function addBolus(store: RecordStore, id: string, bolus: unknown) {
  const b = parse(Bolus, bolus);
  const dose = await mustGetDose(store, id);
  if (dose.route !== 'iv-infusion')
    throw new RuleError('dose.not-infusion', 'Boluses are recorded for IV infusions only.');
  return updateDose(store, id, { boluses: [...dose.boluses, b] });
}

export async function addObservation(store: RecordStore, id: string, observation: unknown) {
  const o = parse(Observation, observation);
  const dose = await mustGetDose(store, id);
  return updateDose(store, id, { observations: [...dose.observations, o] });
}

export async function addAdverseEvent(store: RecordStore, id: string, event: unknown) {
  const e = parse(AdverseEvent, event);
  const dose = await mustGetDose(store, id);
  return updateDose(store, id, { adverseEvents: [...dose.adverseEvents, e] });
}

/**
 * Go ahead despite a needs-reason finding: the reason is kept on the record with the values it
 * justifies (a later change of them voids it) and the override audited. Stops and warnings have
 * no override (overrideFinding refuses them). `seen` is what the prescriber was shown: if the
 * stored record judges other values by now, the reason is refused rather than attached to them.
 */
export async function overrideDoseFinding(
  store: RecordStore,
  id: string,
  rule: string,
  reason: string,
  now = new Date(),
  seen?: FindingValues,
): Promise<DoseRecord> {
  const dose = await mustGetDose(store, id);
  const finding = (await doseFindings(store, dose, doseMoment(dose, now), now)).find(
    (f) => f.rule === rule,
  );
  if (!finding)
    throw new RuleError('dose.no-finding', 'That safety check no longer applies to this dose.');
  if (seen && !sameValues(seen, finding.values))
    throw new RuleError(
      'dose.override-stale',
      `The values have changed since you read the finding — it now says: ${finding.message}`,
    );
  const override = overrideFinding(finding, reason, store.session.user.id, now);
  const overrides = [...dose.overrides.filter((o) => o.rule !== rule), override];
  const updated = await store.update('dose', id, () => ({ overrides }));
  await store.audit('override', {
    recordKind: 'dose',
    recordId: id,
    patientId: dose.patientId,
    detail: `${rule} ${JSON.stringify(override.values ?? {})}: ${override.reason}`,
  });
  return updated;
}

/**
 * Sign the dose (the caller re-checked the passphrase) and, for clinic stock, append the
 * administration to the controlled-substance log from the signed record — both in one
 * transaction, so there is never a signed dose without its log entry (21 CFR 1304.21).
 */
export async function signDose(
  store: RecordStore,
  id: string,
  now = new Date(),
): Promise<{ dose: DoseRecord; administration?: InventoryTransaction }> {
  let dose = await mustGetDose(store, id);
  // What was given is recomputed from the infusion itself, so the signed record and the log entry
  // made from it state the same amount whatever the stored total says (a merge from another
  // device may have brought one field without the other).
  const total = infusionTotal(dose);
  if (total !== dose.totalGivenMg)
    dose = await store.update('dose', id, () => ({ totalGivenMg: total }));
  const findings = await doseFindings(store, dose, doseMoment(dose, now), now);
  assertDoseMaySign(dose, findings, dose.overrides);
  // The thresholds it was judged by go with it: a later change of the clinic's settings does not
  // change how the signed record reads (issue 15, deliverable 6). Kept in the signing write itself.
  const appliedSettings = pickDosingSettings(await clinicSettings(store));
  // So is the lot's balance then, before and after this dose: the signed record shows what was on
  // hand when it was signed, not the lot's balance on the day someone reads it (finding 7).
  const lotAtSigning = dose.lotId ? await lotBalanceAtSigning(store, dose) : undefined;
  const { signed, created } = await store.signWith(
    'dose',
    id,
    async (s) =>
      s.lotId ? [{ kind: 'inventory-transaction', body: await administrationEntry(store, s) }] : [],
    { appliedSettings, ...(lotAtSigning ? { lotAtSigning } : {}) },
  );
  return created[0] ? { dose: signed, administration: created[0] } : { dose: signed };
}

/** Form input checked with the shared schema; problems are listed in plain words. */
function parse<T>(
  schema: {
    safeParse: (
      v: unknown,
    ) =>
      { success: true; data: T } | { success: false; error: { issues: ValidationError['issues'] } };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(result.error.issues);
  return result.data;
}

async function mustGetDose(store: RecordStore, id: string): Promise<DoseRecord> {
  const dose = await store.get('dose', id);
  if (!dose) throw new RuleError('not-found', 'That dose record could not be found.');
  return dose;
}
