/**
 * Consent templates, packets and signed consents, through the record store. The rules live in
 * shared/rules/consent.ts and packets.ts; this module calls them before every write, so a screen
 * cannot store a consent with a missing signer, a stale template or a hand-edited text.
 */
import { defaultConsentTemplates, shippedUpgrade } from '../../shared/consent-defaults';
import type {
  ClinicSettingsBody,
  ConsentTemplate,
  Patient,
  SignedConsent,
  SignedConsentBody,
} from '../../shared/model';
import {
  consentStatus,
  latestTemplates,
  patientsNeedingReconsent,
  withdrawalsAt,
  newTemplateVersion,
  prepareRevocation,
  prepareSignedConsent,
  type PlaceholderValues,
  type ProgramConsentStatus,
  type TemplateEdit,
} from '../../shared/rules/consent';
import { checkConsentSigners } from '../../shared/rules/consent-signers';
import { RuleError } from '../../shared/rules/errors';
import { livePackets } from '../../shared/rules/consent-packets';
import { can } from '../../shared/rules/permissions';
import { ensureDefaultPackets, listPackets } from './consent-packets-repository';
import { isSignerConfirmed } from './consent-signers';
import type { RecordStore } from './record-store';

/**
 * Store version 1 of every shipped template the clinic does not have yet (by key), then the
 * packets (consent-packets-repository). Safe to call again; returns how many templates were
 * added. Only roles that may edit templates seed them.
 */
export async function ensureDefaultTemplates(store: RecordStore): Promise<number> {
  if (!can(store.roles, 'write', 'consent-template')) return 0;
  const stored = latestTemplates(await store.listKind('consent-template'));
  let added = 0;
  for (const t of defaultConsentTemplates()) {
    const mine = stored.find((s) => s.templateKey === t.templateKey);
    if (!mine) {
      await store.create('consent-template', t);
      added++;
      continue;
    }
    // An unedited shipped form gains the fields a newer shipped version adds (issue 17).
    const upgrade = shippedUpgrade(mine, t);
    if (upgrade) await store.create('consent-template', upgrade);
  }
  await ensureDefaultPackets(store);
  return added;
}

/** Every stored version of one template, newest first. */
export async function templateVersions(
  store: RecordStore,
  templateKey: string,
): Promise<ConsentTemplate[]> {
  const all = await store.listKind('consent-template');
  return all.filter((t) => t.templateKey === templateKey).sort((a, b) => b.version - a.version);
}

/**
 * Save an edit as a new version (version + 1, same key). Earlier versions and every consent
 * signed under them stay exactly as they were.
 */
export async function saveTemplateEdit(
  store: RecordStore,
  current: ConsentTemplate,
  edit: TemplateEdit,
): Promise<ConsentTemplate> {
  const versions = await templateVersions(store, current.templateKey);
  const next = newTemplateVersion(current, edit, versions);
  return store.create('consent-template', next);
}

/**
 * Patients who must sign `templateKey` again after a version asked for re-consent, by name
 * (sorted as the patient list is). Reads every signed consent of the clinic: only roles that read
 * consents (practice managers, clinicians) get here.
 */
export async function reconsentList(
  store: RecordStore,
  templateKey: string,
  at = new Date(),
): Promise<{ patientId: string; name: string }[]> {
  const [consents, templates] = await Promise.all([
    store.listKind('signed-consent'),
    store.listKind('consent-template'),
  ]);
  const ids = patientsNeedingReconsent(consents, templates, templateKey, at);
  const patients = await Promise.all(ids.map((id) => store.get('patient', id)));
  return patients
    .filter((p): p is Patient => !!p)
    .map((p) => ({ patientId: p.id, name: `${p.lastName}, ${p.firstName}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What fills a template's {{placeholders}} for this clinic and patient. */
export function placeholderValues(
  settings: Pick<ClinicSettingsBody, 'clinicName' | 'address' | 'phone'>,
  patient: Pick<Patient, 'firstName' | 'lastName' | 'dateOfBirth'>,
): PlaceholderValues {
  return {
    clinicName: settings.clinicName,
    clinicAddress: settings.address,
    clinicPhone: settings.phone,
    patientName: `${patient.firstName} ${patient.lastName}`,
    patientDateOfBirth: patient.dateOfBirth,
  };
}

export type FormToSign = {
  template: ConsentTemplate;
  signatures: SignedConsentBody['signatures'];
  /** What the patient filled in, by field id (templates with fields). */
  fieldValues?: Record<string, string>;
};

/**
 * Store one signed consent per form, each final from the start (store.createSigned). Every form is
 * checked before the first is stored: a missing signer, a signer who is not who they say (the
 * patient's name, a staff member who did not confirm with their own passphrase or lacks the role;
 * see consent-signers), an unfilled placeholder or a template edited meanwhile stops the whole
 * packet with a message, and nothing is saved.
 */
export async function signConsentForms(
  store: RecordStore,
  input: {
    patient: Patient;
    program?: string;
    forms: FormToSign[];
    values: PlaceholderValues;
    signedAt: string;
  },
): Promise<SignedConsent[]> {
  if (input.forms.length === 0)
    throw new RuleError('consent.nothing-to-sign', 'Choose at least one form to sign.');
  const newest = latestTemplates(await store.listKind('consent-template'));
  const users = await store.listKind('user');
  const bodies = [];
  for (const { template, signatures, fieldValues } of input.forms) {
    checkConsentSigners({
      title: template.title,
      signatures,
      patient: input.patient,
      users,
      confirmed: (id) => isSignerConfirmed(store, id),
    });
    const latest = newest.find((t) => t.templateKey === template.templateKey);
    if (latest && latest.version > template.version)
      throw new RuleError(
        'consent.template-changed',
        `"${template.title}" was edited (now version ${latest.version}) while this packet was ` +
          'open. Start the packet again so the patient signs the current text.',
      );
    bodies.push(
      await prepareSignedConsent({
        template,
        values: input.values,
        fieldValues,
        signatures,
        signedAt: input.signedAt,
        ids: {
          patientId: input.patient.id,
          templateId: template.id,
          program: input.program,
          deviceId: store.session.deviceId,
        },
      }),
    );
  }
  const saved: SignedConsent[] = [];
  for (const body of bodies) saved.push(await store.createSigned('signed-consent', body, 'sign'));
  return saved;
}

/** The patient's consent status for each live packet's program, at `at`. */
export async function patientConsentStatus(
  store: RecordStore,
  patientId: string,
  at: Date,
): Promise<ProgramConsentStatus[]> {
  const [consents, templates, packets] = await Promise.all([
    store.listByPatient('signed-consent', patientId),
    store.listKind('consent-template'),
    listPackets(store),
  ]);
  return livePackets(packets).map((p) =>
    consentStatus({ consents, templates, packets, program: p.program, at }),
  );
}

/**
 * The print audit's words: what was printed and how many forms. The event names the patient by
 * id itself (patientId), and the audit log shows their name beside it, so the words need not.
 */
export function printDetail(what: string, count: number): string {
  return `${what}: ${count} form${count === 1 ? '' : 's'}`;
}

/**
 * The patient withdraws a signed consent: a new signed record pointing at it (prepareRevocation);
 * the original stays exactly as signed. From then on the form counts as missing.
 */
export async function revokeConsent(
  store: RecordStore,
  input: {
    consent: SignedConsent;
    signatures: SignedConsentBody['signatures'];
    reason?: string;
    signedAt: string;
  },
): Promise<SignedConsent> {
  if (input.consent.revokes)
    throw new RuleError('consent.revoke-revocation', 'A withdrawal itself cannot be withdrawn.');
  const patient = await store.get('patient', input.consent.patientId);
  if (patient)
    checkConsentSigners({
      title: `withdrawal of ${input.consent.title}`,
      signatures: input.signatures,
      patient,
      users: await store.listKind('user'),
      confirmed: (id) => isSignerConfirmed(store, id),
    });
  const consents = await store.listByPatient('signed-consent', input.consent.patientId);
  if (withdrawalsAt(consents, input.signedAt).has(input.consent.id))
    throw new RuleError(
      'consent.already-revoked',
      'This consent was already withdrawn; there is nothing more to record.',
    );
  const body = await prepareRevocation({
    revoked: input.consent,
    signatures: input.signatures,
    signedAt: input.signedAt,
    deviceId: store.session.deviceId,
    reason: input.reason,
  });
  return store.createSigned('signed-consent', body, 'sign');
}
