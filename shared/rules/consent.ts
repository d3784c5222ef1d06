/**
 * Consent rules: rendering a template for a patient, new template versions, expiry, and whether a
 * patient's consent for a program is current. Pure: the caller passes records and the clock.
 *
 * A signed consent keeps the exact text that was signed (`renderedText`), so editing a template
 * (a new version) can never change what a patient signed (PRODUCT.md; ARCHITECTURE.md "Signed is
 * final"). Revocation is a later signed consent with `revokes`; nothing is deleted.
 */
import { contentHash } from '../crypto/hash';
import type { RecordStatus } from '../model/common';
import type { z } from 'zod';
import { ConsentTemplateBody, type SignedConsentBody, type Validity } from '../model/consent';
import { requiredForProgram, type PacketLike } from './consent-packets';
import { checkTemplateFields, fillFields } from './consent-fields';
import { RuleError } from './errors';
import { joinWords } from '../util/words';

type ValidityKind = z.infer<typeof Validity>;

/** Placeholders a template may use, and where a person fills the value in. */
const PLACEHOLDER_SOURCES = {
  clinicName: 'the clinic name in Clinic settings',
  clinicAddress: 'the clinic address in Clinic settings',
  clinicPhone: 'the clinic phone number in Clinic settings',
  patientName: "the patient's name in the chart",
  patientDateOfBirth: "the patient's date of birth in the chart",
} as const;
export type PlaceholderName = keyof typeof PLACEHOLDER_SOURCES;
export const TEMPLATE_PLACEHOLDERS = Object.keys(PLACEHOLDER_SOURCES) as PlaceholderName[];
export type PlaceholderValues = Partial<Record<PlaceholderName, string>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const isKnown = (name: string): name is PlaceholderName => name in PLACEHOLDER_SOURCES;

/** Names of the placeholders in a text, in order of first use. */
export function templatePlaceholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Throws if a template text has an unknown placeholder or stray braces (checked on save). */
export function checkTemplateText(title: string, body: string): void {
  const unknown = templatePlaceholders(body).filter((n) => !isKnown(n));
  if (unknown.length > 0)
    throw new RuleError(
      'consent.unknown-placeholder',
      `The form "${title}" uses ${unknown.map((n) => `{{${n}}}`).join(', ')}, which KAT Chart ` +
        `cannot fill. Use only ${TEMPLATE_PLACEHOLDERS.map((n) => `{{${n}}}`).join(', ')}.`,
    );
  const stray = body.replace(PLACEHOLDER, '').match(/.{0,20}(\{\{|\}\}).{0,20}/);
  if (stray)
    throw new RuleError(
      'consent.stray-braces',
      `The form "${title}" has unmatched double braces near "${stray[0].trim()}". ` +
        'Write placeholders as {{clinicName}}, or remove the braces.',
    );
}

/** The text a patient reads and signs: every placeholder filled, or a RuleError naming the gaps. */
export function renderTemplate(
  template: Pick<ConsentTemplateBody, 'title' | 'body'>,
  values: PlaceholderValues,
): string {
  checkTemplateText(template.title, template.body);
  const empty = templatePlaceholders(template.body).filter(
    (n) => !values[n as PlaceholderName]?.trim(),
  ) as PlaceholderName[];
  if (empty.length > 0)
    throw new RuleError(
      'consent.unfilled-placeholder',
      `The form "${template.title}" needs ${empty.map((n) => PLACEHOLDER_SOURCES[n]).join(', ')}, ` +
        `which ${empty.length > 1 ? 'are' : 'is'} empty. Fill ${empty.length > 1 ? 'them' : 'it'} in, then try again.`,
    );
  // A value can never open a field marker of its own ("[[" in a name stays plain text).
  return template.body.replace(PLACEHOLDER, (_, n: PlaceholderName) =>
    values[n]!.trim().replace(/\[\[/g, '[ ['),
  );
}

export type TemplateEdit = Partial<
  Pick<
    ConsentTemplateBody,
    'title' | 'body' | 'signers' | 'validity' | 'programs' | 'retired' | 'reconsent' | 'fields'
  >
>;

/**
 * The next version of a template after an edit: same key, version + 1. `versions` are the other
 * stored versions of this key; editing anything but the newest is refused, so two people editing
 * at once cannot both publish "version 3".
 */
export function newTemplateVersion(
  current: ConsentTemplateBody,
  edit: TemplateEdit,
  versions: Pick<ConsentTemplateBody, 'templateKey' | 'version'>[] = [],
): ConsentTemplateBody {
  const newest = Math.max(
    current.version,
    ...versions.filter((v) => v.templateKey === current.templateKey).map((v) => v.version),
  );
  if (newest > current.version)
    throw new RuleError(
      'consent.stale-version',
      `Version ${newest} of "${current.title}" was saved after the version you edited. ` +
        'Open the newest version and make your change there.',
    );
  const { reconsent: _earlier, ...kept } = current;
  const parsed = ConsentTemplateBody.safeParse({
    ...kept,
    ...edit,
    // "Ask for re-consent" belongs to the version that asked, never carried to the next edit.
    reconsent: edit.reconsent || undefined,
    templateKey: current.templateKey,
    version: current.version + 1,
  });
  if (!parsed.success)
    throw new RuleError(
      'consent.invalid-template',
      `This form cannot be saved: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
    );
  const next = parsed.data;
  checkTemplateText(next.title, next.body);
  checkTemplateFields(next.title, next.body, next.fields);
  const same = (k: keyof TemplateEdit) =>
    JSON.stringify(next[k] ?? null) === JSON.stringify(current[k] ?? null);
  const keys = ['title', 'body', 'signers', 'validity', 'programs', 'retired', 'fields'] as const;
  if (keys.every(same))
    throw new RuleError('consent.no-change', 'Nothing was changed, so no new version was made.');
  return next;
}

/** The newest version of each template key. */
export function latestTemplates<T extends Pick<ConsentTemplateBody, 'templateKey' | 'version'>>(
  templates: readonly T[],
): T[] {
  const byKey = new Map<string, T>();
  for (const t of templates) {
    const seen = byKey.get(t.templateKey);
    if (!seen || t.version > seen.version) byKey.set(t.templateKey, t);
  }
  return [...byKey.values()];
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `instant` plus whole calendar months on the wall clock of its own offset, clamped to the end of
 * a shorter month (Aug 31 + 6 months = Feb 28, or Feb 29 in a leap year).
 */
export function addCalendarMonths(instant: string, months: number): string {
  const m = INSTANT.exec(instant);
  if (!m) throw new RuleError('consent.bad-time', `"${instant}" is not a date and time.`);
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as number[];
  const ms = Number(m[6] ?? 0) * 1000 + Math.round(Number(m[7] ?? 0) * 1000);
  const zone = m[8]!.toUpperCase();
  const offset =
    zone === 'Z'
      ? 0
      : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const target = (mo! - 1 + months) as number;
  const year = y! + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const wall = Date.UTC(year, month, Math.min(d!, lastDay), h, mi, 0, ms);
  return new Date(wall - offset * 60_000).toISOString();
}

const VALID_MONTHS: Partial<Record<ValidityKind, number>> = { '6-months': 6, '12-months': 12 };

/**
 * When a consent signed at `signedAt` stops counting; undefined if time alone never ends it.
 * 'never-expires' (e.g. the privacy notice acknowledgement, which is still kept 6 years:
 * 45 CFR 164.530(j)) and 'per-program' (ends with the program, by revocation) have no date.
 */
export function consentExpiresAt(validity: ValidityKind, signedAt: string): string | undefined {
  const months = VALID_MONTHS[validity];
  return months === undefined ? undefined : addCalendarMonths(signedAt, months);
}

/** A consent is "expiring" in the last 30 days before it expires (PRODUCT.md, issue 5). */
export const EXPIRING_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export type ConsentLike = Pick<
  SignedConsentBody,
  'templateKey' | 'templateVersion' | 'signedAt' | 'expiresAt' | 'program' | 'revokes'
> & { id: string; status?: RecordStatus };

export type TemplateLike = Pick<
  ConsentTemplateBody,
  'templateKey' | 'version' | 'title' | 'validity' | 'programs'
> & { retired?: boolean; reconsent?: boolean };

/** How a form stands for one patient and program, best first (a program shows its worst form). */
export const CONSENT_STATES = [
  'current',
  'expiring',
  'reconsent',
  'expired',
  'missing',
  'withdrawn',
] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export type FormConsentState =
  | { state: 'current' | 'expiring'; template: TemplateLike; consentId: string; expiresAt?: string }
  | { state: 'expired'; template: TemplateLike; consentId: string; expiresAt: string }
  /** Signed under a version older than one published with "ask for re-consent". */
  | { state: 'reconsent'; template: TemplateLike; consentId: string; requiredVersion: number }
  /** The patient withdrew it: when, and the withdrawal record (who recorded it is on that record). */
  | { state: 'withdrawn'; template: TemplateLike; withdrawnAt: string; withdrawalId: string }
  | { state: 'missing'; template: TemplateLike };

export type ProgramConsentStatus = {
  program: string;
  /** The worst form's state (CONSENT_STATES order). */
  status: ConsentState;
  /** One entry per required form, in the packet's order. */
  forms: FormConsentState[];
  /** No live packet requires a form for this program: nothing can be current (fail closed). */
  unconfigured: boolean;
};

const toMs = (t: Date | string) => (typeof t === 'string' ? Date.parse(t) : t.getTime());

/**
 * The oldest version of a template a consent may have been signed under and still count: the
 * newest version published with "ask for re-consent" (1 if none was).
 */
export function oldestAcceptedVersion(
  templates: readonly Pick<TemplateLike, 'templateKey' | 'version' | 'reconsent'>[],
  templateKey: string,
): number {
  return Math.max(
    1,
    ...templates.filter((t) => t.templateKey === templateKey && t.reconsent).map((t) => t.version),
  );
}

/**
 * Withdrawals in force at `at`, by the id of each consent they end. A withdrawal ends the consent
 * it names AND every other consent of the same form signed before it (for a per-program form, in
 * the same program), so a patient who signed a form twice and withdraws is not still "consented"
 * by the older copy.
 */
export function withdrawalsAt<C extends ConsentLike>(
  consents: readonly C[],
  at: Date | string,
): Map<string, C> {
  const atMs = toMs(at);
  const live = consents.filter((c) => c.status !== 'entered-in-error');
  const byId = new Map(live.map((c) => [c.id, c]));
  const ended = new Map<string, C>();
  for (const w of live) {
    if (!w.revokes || Date.parse(w.signedAt) > atMs) continue;
    const target = byId.get(w.revokes);
    for (const c of live) {
      if (c.revokes || c.templateKey !== w.templateKey) continue;
      const named = c.id === w.revokes;
      if (!named && Date.parse(c.signedAt) > Date.parse(w.signedAt)) continue;
      if (!named && target?.program && c.program && c.program !== target.program) continue;
      const seen = ended.get(c.id);
      if (!seen || w.signedAt < seen.signedAt) ended.set(c.id, w);
    }
  }
  return ended;
}

/**
 * One patient's consent for one program at `at`. Pass only that patient's signed consents, every
 * stored template version, and the clinic's packets (effectivePackets): the program's live packet
 * says which forms are required. Counted: signed at or before `at`, not entered in error, not
 * withdrawals themselves, not ended by a withdrawal signed at or before `at` (so "was consent
 * current at that dose?" works), and signed under a version the clinic still accepts.
 */
export function consentStatus(input: {
  consents: readonly ConsentLike[];
  templates: readonly TemplateLike[];
  packets: readonly PacketLike[];
  program: string;
  at: Date | string;
}): ProgramConsentStatus {
  const at = toMs(input.at);
  const live = input.consents.filter(
    (c) => c.status !== 'entered-in-error' && Date.parse(c.signedAt) <= at,
  );
  const ended = withdrawalsAt(live, input.at);
  const counting = live.filter((c) => !c.revokes && !ended.has(c.id));
  const required = requiredForProgram(input.packets, input.templates, input.program);

  const forms = required.map((template): FormConsentState => {
    const expiry = (c: ConsentLike) => {
      const signedUnder =
        input.templates.find(
          (t) => t.templateKey === c.templateKey && t.version === c.templateVersion,
        ) ?? template;
      const perProgram = signedUnder.validity === 'per-program';
      if (perProgram && c.program !== input.program) return null; // counts for its program only
      return c.expiresAt ?? consentExpiresAt(signedUnder.validity, c.signedAt);
    };
    const accepted = oldestAcceptedVersion(input.templates, template.templateKey);
    const candidates = counting
      .filter((c) => c.templateKey === template.templateKey)
      .map((c) => ({ c, expiresAt: expiry(c) }))
      .filter((x) => x.expiresAt !== null)
      .sort((a, b) => toEnd(b.expiresAt) - toEnd(a.expiresAt));
    const best = candidates.find((x) => x.c.templateVersion >= accepted);
    const older = candidates[0];
    if (!best && older && toEnd(older.expiresAt) > at)
      return { state: 'reconsent', template, consentId: older.c.id, requiredVersion: accepted };
    const chosen = best ?? older;
    if (!chosen) {
      const withdrawal = live
        .filter((c) => c.templateKey === template.templateKey && ended.has(c.id))
        .map((c) => ended.get(c.id)!)
        .sort((a, b) => a.signedAt.localeCompare(b.signedAt))
        .at(-1);
      return withdrawal
        ? {
            state: 'withdrawn',
            template,
            withdrawnAt: withdrawal.signedAt,
            withdrawalId: withdrawal.id,
          }
        : { state: 'missing', template };
    }
    const { c } = chosen;
    const expiresAt = chosen.expiresAt ?? undefined;
    if (expiresAt === undefined) return { state: 'current', template, consentId: c.id };
    const left = Date.parse(expiresAt) - at;
    if (left <= 0) return { state: 'expired', template, consentId: c.id, expiresAt };
    const state = left <= EXPIRING_WINDOW_DAYS * DAY_MS ? 'expiring' : 'current';
    return { state, template, consentId: c.id, expiresAt };
  });

  const worst = [...CONSENT_STATES].reverse().find((s) => forms.some((f) => f.state === s));
  return {
    program: input.program,
    status: required.length === 0 ? 'missing' : (worst ?? 'current'),
    forms,
    unconfigured: required.length === 0,
  };
}

const toEnd = (expiresAt: string | undefined | null) =>
  expiresAt ? Date.parse(expiresAt) : Number.POSITIVE_INFINITY;

/**
 * The question the dosing safety check asks: does this patient have every form the program needs,
 * signed and not expired, withdrawn or superseded by a re-consent, at `at`? "Expiring" still
 * counts; an unknown program does not.
 */
export function isConsentCurrent(
  consents: readonly ConsentLike[],
  program: string,
  at: Date | string,
  templates: readonly TemplateLike[],
  packets: readonly PacketLike[],
): boolean {
  const { status } = consentStatus({ consents, templates, packets, program, at });
  return status === 'current' || status === 'expiring';
}

type ConsentIds = Pick<
  SignedConsentBody,
  'patientId' | 'templateId' | 'program' | 'deviceId' | 'revokes'
>;

/**
 * The body of a new signed consent: rendered text, expiry and a content hash over everything a
 * signer vouched for. Refuses a form that lacks a signature its template requires.
 */
export async function prepareSignedConsent(input: {
  template: ConsentTemplateBody;
  values: PlaceholderValues;
  /** What the patient filled in, by field id (templates with fields). */
  fieldValues?: Readonly<Record<string, string>>;
  signatures: SignedConsentBody['signatures'];
  signedAt: string;
  ids: ConsentIds;
}): Promise<SignedConsentBody> {
  const { template, signatures, signedAt, ids } = input;
  const missing = template.signers.filter((r) => !signatures.some((s) => s.role === r));
  if (missing.length > 0)
    throw new RuleError(
      'consent.signer-missing',
      `"${template.title}" still needs the ${joinWords(missing)} signature. ` +
        'Collect it before saving.',
    );
  if (template.validity === 'per-program' && !ids.program)
    throw new RuleError(
      'consent.program-required',
      `"${template.title}" is signed for one program. Choose the program first.`,
    );
  const fields = fillFields(template.title, template.fields, input.fieldValues);
  return withHash({
    ...ids,
    templateKey: template.templateKey,
    templateVersion: template.version,
    title: template.title,
    renderedText: renderTemplate(template, input.values),
    ...(fields ? { fields } : {}),
    signatures,
    signedAt,
    expiresAt: consentExpiresAt(template.validity, signedAt),
  });
}

/**
 * A revocation: a new signed record pointing at the consent it ends (the original stays, unchanged).
 * The patient may withdraw at any time, including right before a dose (informed consent form).
 */
export async function prepareRevocation(input: {
  revoked: SignedConsentBody & { id: string };
  signatures: SignedConsentBody['signatures'];
  signedAt: string;
  deviceId: string;
  reason?: string;
}): Promise<SignedConsentBody> {
  const { revoked, signatures, signedAt } = input;
  if (!signatures.some((s) => s.role === 'patient'))
    throw new RuleError(
      'consent.revocation-signer',
      "A revocation needs the patient's signature (or their representative's).",
    );
  if (Date.parse(signedAt) < Date.parse(revoked.signedAt))
    throw new RuleError(
      'consent.revocation-order',
      'A revocation cannot be dated before the consent it revokes. Check the date and time.',
    );
  const reason = input.reason?.trim() ? ` Reason given: ${input.reason.trim()}` : '';
  return withHash({
    patientId: revoked.patientId,
    templateId: revoked.templateId,
    templateKey: revoked.templateKey,
    templateVersion: revoked.templateVersion,
    program: revoked.program,
    title: `Revocation: ${revoked.title}`,
    renderedText:
      `I revoke my consent "${revoked.title}" (version ${revoked.templateVersion}), signed ` +
      `${revoked.signedAt.slice(0, 10)}. It no longer applies from the time I sign this.${reason}`,
    signatures,
    signedAt,
    deviceId: input.deviceId,
    revokes: revoked.id,
  });
}

async function withHash(body: Omit<SignedConsentBody, 'contentHash'>): Promise<SignedConsentBody> {
  return { ...body, contentHash: await consentContentHash(body) };
}

/** Hash of a signed consent's content (all but the hash itself): shown on the signing record. */
export function consentContentHash(body: Omit<SignedConsentBody, 'contentHash'>): Promise<string> {
  const { contentHash: _drop, ...content } = body as SignedConsentBody;
  return contentHash(content);
}

/**
 * Patients who must sign `templateKey` again (issue 17: "publishing a new version can ask for
 * re-consent (patients listed)"): their newest counting consent of the form was signed under a
 * version older than the newest one published with "ask for re-consent". Not counted: consents
 * withdrawn, entered in error or expired at `at` (a patient whose form lapsed signs again anyway,
 * and is shown as expired). Returns patient ids, each once, in the order first seen.
 */
export function patientsNeedingReconsent(
  consents: readonly (ConsentLike & { patientId: string })[],
  templates: readonly Pick<TemplateLike, 'templateKey' | 'version' | 'reconsent'>[],
  templateKey: string,
  at: Date | string,
): string[] {
  const accepted = oldestAcceptedVersion(templates, templateKey);
  if (accepted <= 1) return [];
  const atMs = toMs(at);
  const byPatient = new Map<string, (ConsentLike & { patientId: string })[]>();
  for (const c of consents) {
    if (c.status === 'entered-in-error' || Date.parse(c.signedAt) > atMs) continue;
    const list = byPatient.get(c.patientId) ?? [];
    list.push(c);
    byPatient.set(c.patientId, list);
  }
  const out: string[] = [];
  for (const [patientId, list] of byPatient) {
    const ended = withdrawalsAt(list, at);
    const counting = list.filter(
      (c) =>
        c.templateKey === templateKey &&
        !c.revokes &&
        !ended.has(c.id) &&
        !(c.expiresAt && Date.parse(c.expiresAt) <= atMs),
    );
    if (counting.length > 0 && counting.every((c) => c.templateVersion < accepted))
      out.push(patientId);
  }
  return out;
}

/** What "Print signed forms" prints (issue 17 deliverable 6: one packet, or everything current). */
export type PrintChoice =
  { what: 'current' } | { what: 'all' } | { what: 'packet'; program: string };

/**
 * The signed consents a print choice covers, oldest first: every form that counts now (current or
 * expiring, in any live packet), one program's forms that count now, or everything ever signed
 * (withdrawals included, for a complete copy of the record). Entered in error is never printed.
 */
export function consentsToPrint<C extends ConsentLike>(
  consents: readonly C[],
  statuses: readonly Pick<ProgramConsentStatus, 'program' | 'forms'>[],
  choice: PrintChoice,
): C[] {
  const live = consents.filter((c) => c.status !== 'entered-in-error');
  if (choice.what === 'all') return sortBySigned(live);
  const ids = new Set(
    statuses
      .filter((s) => choice.what === 'current' || s.program === choice.program)
      .flatMap((s) => s.forms)
      .filter((f) => f.state === 'current' || f.state === 'expiring')
      .map((f) => ('consentId' in f ? f.consentId : '')),
  );
  return sortBySigned(live.filter((c) => ids.has(c.id)));
}

const sortBySigned = <C extends ConsentLike>(list: C[]) =>
  [...list].sort((a, b) => a.signedAt.localeCompare(b.signedAt));
