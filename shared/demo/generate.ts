/**
 * A deterministic synthetic clinic: patients with a ketamine-assisted therapy course (eligibility,
 * preparation, dosing and integration sessions, maintenance), signed notes, dose records with
 * vitals, outcome measures and upcoming appointments. The same seed and `now` give the same
 * records byte for byte, so the demo, the tests and the benchmarks share one realistic clinic.
 */
import { defaultConsentTemplates } from '../consent-defaults';
import type { AnyRecord, Instrument } from '../model';
import { SCHEMA_VERSION } from '../model/common';
import { signRecord } from '../rules/lifecycle';
import { formatHlc } from '../sync/hlc';
import {
  FIRST_NAMES,
  INSIGHTS,
  INTENTIONS,
  LAST_NAMES,
  OBSERVATIONS,
  PLANS,
  THEMES,
} from './phrases';
import { type DemoTemplate, intakeConsents } from './consents';
import { DemoLotBook, type Meta as LotMeta } from './inventory';
import { dose, spread } from './doses';
import { type Rng, seededRng, seededUuidv7 } from './random';

export const DEMO_SIZES = { small: 25, medium: 250, large: 2000 } as const;
export type DemoSize = keyof typeof DEMO_SIZES;
export const DEMO_PASSPHRASE = 'ketamine demo clinic';

/**
 * A demo staff member. With `signingKey` (their identity signing key) and `chain` (the membership
 * chain length that names them), their signatures are made as the app makes them, so other
 * computers verify them against the chain (shared/trust/record-signature.ts); without, a
 * signature carries its content hash only, which computers of a clinic with a chain refuse.
 */
export type DemoSigner = { id: string; name: string; signingKey?: CryptoKey; chain?: number };

export type DemoStaff = {
  therapist: DemoSigner;
  prescriber: DemoSigner;
  manager: DemoSigner;
};

export type DemoOptions = {
  clinicId: string;
  node: string;
  staff: DemoStaff;
  patients: number;
  now: Date;
  seed?: number;
  /** Patients per yielded chunk. */
  chunk?: number;
  /**
   * The clinic's consent forms, which patients sign at intake. Without them the generator makes
   * version 1 of every shipped form (in the first chunk) and uses those.
   */
  consentTemplates?: readonly DemoTemplate[];
  /** What the consent forms fill in; a demo default otherwise. */
  clinic?: { name: string; address: string; phone: string };
};

const STREETS = ['Elm Street', 'Fore Street', 'Brackett Street', 'Pine Street', 'Danforth Street'];
const TOWNS = ['Portland, ME 04101', 'South Portland, ME 04106', 'Westbrook, ME 04092'];
/** A street address in the clinic's area (21 CFR 1304.22(c): the log names each patient's). */
const demoAddress = (index: number) =>
  `${12 + ((index * 37) % 480)} ${STREETS[index % STREETS.length]}, ${TOWNS[index % TOWNS.length]}`;

const DEMO_CLINIC = {
  name: 'Harbor Light Ketamine Clinic',
  address: '41 Commercial Street, Portland, ME 04101',
  phone: '(207) 555-0142',
};

/** The clinic-wide parts every patient's course draws on. */
type Clinic = { lots: DemoLotBook; templates: readonly DemoTemplate[] };

export type DemoChunk = { records: AnyRecord[]; patientsDone: number; patientsTotal: number };

const DAY = 86_400_000;
const MIN = 60_000;

export async function* generateDemoClinic(opts: DemoOptions): AsyncGenerator<DemoChunk> {
  const seed = opts.seed ?? 20261121;
  const rng = seededRng(seed);
  const chunk = opts.chunk ?? 25;
  let counter = 0;
  const clinicMeta = (r: Rng) => (atMs: number, createdBy: string) => ({
    id: seededUuidv7(r, atMs),
    clinicId: opts.clinicId,
    createdBy,
    createdAt: new Date(atMs).toISOString(),
    updatedAt: formatHlc({ wallMs: atMs, counter: counter++ % 99_999, node: opts.node }),
    status: 'draft' as const,
    schemaVersion: SCHEMA_VERSION,
  });
  let records: AnyRecord[] = [];
  let templates = opts.consentTemplates;
  if (!templates) {
    // Stored when the clinic was set up, four years back: before any patient's course.
    const meta = clinicMeta(seededRng(seed ^ 0x7e3b1a7e));
    const made = defaultConsentTemplates().map((t) => ({
      kind: 'consent-template' as const,
      ...meta(opts.now.getTime() - 4 * 365 * DAY, opts.staff.manager.id),
      ...t,
    }));
    records.push(...made);
    templates = made;
  }
  const clinic: Clinic = {
    lots: new DemoLotBook(seed, clinicMeta as (r: Rng) => LotMeta),
    templates,
  };
  for (let i = 0; i < opts.patients; i++) {
    records.push(...(await patientCourse(rng, opts, i, clinic)));
    const last = i === opts.patients - 1;
    if (last) {
      const { prescriber, manager } = opts.staff;
      records.push(
        ...(await clinic.lots.closingEntries(
          opts.now.getTime(),
          { receiver: prescriber, witness: manager },
          signWith,
        )),
      );
    }
    if ((i + 1) % chunk === 0 || last) {
      yield { records, patientsDone: i + 1, patientsTotal: opts.patients };
      records = [];
    }
  }
}

const signWith = async <T extends AnyRecord>(r: T, who: DemoSigner, atMs: number) =>
  (await signRecord(r as never, who, new Date(atMs))) as T;

async function patientCourse(
  rng: Rng,
  o: DemoOptions,
  index: number,
  clinic: Clinic,
): Promise<AnyRecord[]> {
  const out: AnyRecord[] = [];
  const now = o.now.getTime();
  // Courses started between 3 years and 2 weeks ago, spread evenly, some patients brand new.
  const start = now - rng.int(14, 3 * 365) * DAY;
  let counter = 0;
  const meta = (atMs: number, createdBy: string) => ({
    id: seededUuidv7(rng, atMs),
    clinicId: o.clinicId,
    createdBy,
    createdAt: new Date(atMs).toISOString(),
    updatedAt: formatHlc({ wallMs: atMs, counter: counter++ % 99_999, node: o.node }),
    status: 'draft' as const,
    schemaVersion: SCHEMA_VERSION,
  });
  const { therapist, prescriber, manager } = o.staff;
  const signAs = signWith;

  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const birthYear = new Date(now).getFullYear() - rng.int(22, 74);
  const patientId = seededUuidv7(rng, start - DAY);
  // From the index, not the rng, so the rest of the generated clinic stays as it was.
  const address = demoAddress(index);
  const dateOfBirth = `${birthYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  out.push({
    kind: 'patient',
    ...meta(start - DAY, manager.id),
    id: patientId,
    firstName: first,
    lastName: last,
    dateOfBirth,
    sexAtBirth: rng.pick(['female', 'male'] as const),
    phone: `555-01${String(rng.int(0, 99)).padStart(2, '0')}`,
    address,
    chartNumber: `KC-${String(10_000 + index)}`,
    active: true,
  });
  const esketamine = rng.chance(0.2);
  const weightKg = rng.int(52, 112);
  let severity = rng.int(14, 24); // PHQ-9 total at the start

  const encounter = (
    visitKind: AnyRecord & { kind: 'encounter' } extends infer E
      ? E extends { visitKind: infer V }
        ? V
        : never
      : never,
    atMs: number,
    clinician: string,
    minutes: number,
  ) => {
    const e = {
      kind: 'encounter' as const,
      ...meta(atMs, clinician),
      patientId,
      visitKind,
      start: new Date(atMs).toISOString(),
      end: new Date(atMs + minutes * MIN).toISOString(),
      clinicianId: clinician,
      setting: 'in-office' as const,
    };
    out.push(e);
    return e;
  };
  const measure = async (instrument: Instrument, atMs: number, encounterId: string) => {
    const items = instrument === 'phq9' ? 9 : 7;
    const answers = spread(
      rng,
      instrument === 'phq9' ? severity : Math.max(0, severity - 3),
      items,
      3,
    );
    if (instrument === 'phq9') answers[8] = severity > 18 && rng.chance(0.3) ? 1 : 0;
    out.push(
      await signAs(
        {
          kind: 'measure',
          ...meta(atMs, therapist.id),
          patientId,
          encounterId,
          instrument,
          administeredAt: new Date(atMs).toISOString(),
          answers,
        },
        therapist,
        atMs + 5 * MIN,
      ),
    );
  };

  // Intake: the program's consent packet, signed before the eligibility evaluation.
  let t = start + 10 * 60 * MIN;
  const signPacket = async (atMs: number, renewal: boolean) => {
    const signed = await intakeConsents({
      templates: clinic.templates,
      program: esketamine ? 'esketamine' : 'in-office-iv',
      patient: { id: patientId, name: `${first} ${last}`, dateOfBirth, seed: index },
      clinician: prescriber,
      witness: manager,
      clinic: o.clinic ?? DEMO_CLINIC,
      deviceId: o.node,
      atMs,
      meta,
      signAs,
      renewal,
    });
    out.push(...signed);
    const ends = signed.flatMap((c) => (c.expiresAt ? [Date.parse(c.expiresAt)] : []));
    return ends.length ? Math.min(...ends) : Infinity;
  };
  // Doses need current consents: expiring forms are signed again at the first dose after expiry.
  let consentUntil = await signPacket(t - 40 * MIN, false);

  // Eligibility evaluation
  const elig = encounter('eligibility', t, prescriber.id, 60);
  out.push(
    await signAs(
      {
        kind: 'eligibility',
        ...meta(t + 55 * MIN, prescriber.id),
        patientId,
        encounterId: elig.id,
        indication: rng.pick(['trd', 'trd', 'trd', 'ptsd', 'gad', 'ocd'] as const),
        psychiatricHistory:
          'Two adequate antidepressant trials (sertraline, bupropion) with partial response. No psychosis or mania.',
        medicalHistory: 'No cardiovascular disease. BP controlled. No thyroid disease.',
        currentMedications: rng.chance(0.3)
          ? [{ name: 'lorazepam', dose: '0.5 mg as needed', flag: 'benzodiazepine' as const }]
          : [],
        contraindications: {
          pregnancy: false,
          'uncontrolled-hypertension': false,
          psychosis: false,
          'active-sud': false,
          hyperthyroidism: false,
          'prior-ketamine-misuse': false,
        },
        decision: 'eligible' as const,
        evaluatedAt: new Date(t).toISOString(),
      },
      prescriber,
      t + 58 * MIN,
    ),
  );
  await measure('phq9', t, elig.id);
  await measure('gad7', t, elig.id);

  // Preparation
  t += 7 * DAY;
  if (t > now) return out;
  const prep = encounter('preparation', t, therapist.id, 50);
  out.push(
    await signAs(
      {
        kind: 'note',
        ...meta(t + 50 * MIN, therapist.id),
        patientId,
        encounterId: prep.id,
        templateId: 'kap-preparation',
        title: 'Preparation session',
        sections: {
          intentions: `Intention: ${rng.pick(INTENTIONS)}.`,
          'set-and-setting':
            'Reviewed the room, music, eye mask and the option to pause. Support person will drive home.',
          practices:
            'Practised box breathing (4-4-4-4) for ten minutes; patient found it settling.',
          'safety-plan':
            'Hand signal for "I need to talk". Crisis line numbers reviewed. No current suicidal intent.',
          expectations:
            'Discussed dissociation, time distortion, possible nausea, and that every session differs.',
        },
        timeline: [],
      },
      therapist,
      t + 55 * MIN,
    ),
  );

  // Induction: six dosing sessions over three weeks, each followed by integration; then maintenance.
  const dosingDays = [14, 17, 21, 24, 28, 31];
  let maintenance = start + 31 * DAY;
  while (maintenance + 45 * DAY < now && dosingDays.length < 14) {
    maintenance += rng.int(30, 75) * DAY;
    dosingDays.push(Math.round((maintenance - start) / DAY));
  }
  for (const [n, day] of dosingDays.entries()) {
    const at = start + day * DAY + rng.int(9, 14) * 60 * MIN;
    if (at > now - DAY) break;
    const enc = encounter(
      n < 6 ? 'dosing' : 'maintenance',
      at,
      prescriber.id,
      esketamine ? 150 : 100,
    );
    if (at >= consentUntil) consentUntil = await signPacket(at - 50 * MIN, true);
    await measure('phq9', at - 15 * MIN, enc.id);
    const medication = esketamine ? 'esketamine-nasal' : 'ketamine-hcl';
    const lot = clinic.lots.lotFor(medication, at, prescriber.id, out);
    const given = await dose(rng, meta, {
      patientId,
      encounterId: enc.id,
      at,
      esketamine,
      weightKg,
      prescriber,
      therapist,
      lot,
      closeWatch: index === 0 && n === 0,
    });
    out.push(given, await clinic.lots.administration(given, meta, signAs, prescriber, address));
    const lines = rng.sample(OBSERVATIONS, rng.int(3, 6)).map((text, k) => ({
      id: `l${k}`,
      at: new Date(at + (10 + k * 8) * MIN).toISOString(),
      text,
      tags: [],
    }));
    const note = {
      kind: 'note' as const,
      ...meta(at + 95 * MIN, therapist.id),
      patientId,
      encounterId: enc.id,
      templateId: 'dosing-session',
      title: n < 6 ? `Dosing session ${n + 1}` : 'Maintenance dosing session',
      sections: {
        intention: `Intention: ${rng.pick(INTENTIONS)}.`,
        summary:
          'Session proceeded without complications. Patient engaged with music and breath throughout.',
        'after-care': 'Reoriented, ate a snack, left with support person.',
      },
      timeline: lines,
    };
    const lastOne = n === dosingDays.length - 1 && rng.chance(0.25);
    out.push(lastOne ? note : await signAs(note, therapist, at + 100 * MIN));
    severity = Math.max(0, severity - rng.int(0, 3));

    const integ = at + rng.int(1, 3) * DAY;
    if (integ > now) break;
    const ie = encounter('integration', integ, therapist.id, 50);
    out.push(
      await signAs(
        {
          kind: 'integration-summary',
          ...meta(integ + 50 * MIN, therapist.id),
          patientId,
          encounterId: ie.id,
          dosingEncounterId: enc.id,
          insights: rng.pick(INSIGHTS),
          themes: rng.sample(THEMES, 2),
          emotions: rng.pick([
            'Relief, some sadness',
            'Tenderness, awe',
            'Calm, a little tired',
            'Grief that felt clean',
          ]),
          bodySensations: rng.pick([
            'Warmth in chest',
            'Heaviness in limbs, then lightness',
            'Tingling in hands',
          ]),
          goals: 'Keep a short daily practice; notice self-talk without arguing with it.',
          practices: rng.sample(
            ['breathwork', 'meditation', 'journaling', 'movement', 'nature'] as const,
            2,
          ),
          nextSteps: rng.pick(PLANS),
          clinicianNotes: 'Mood brighter. No safety concerns.',
        },
        therapist,
        integ + 55 * MIN,
      ),
    );
  }
  // A third of active patients have an appointment in the coming week.
  if (rng.chance(0.33)) {
    const day = Math.floor(now / DAY) * DAY + rng.int(1, 7) * DAY + rng.int(9, 16) * 60 * MIN;
    out.push({
      kind: 'appointment',
      ...meta(now - rng.int(1, 10) * DAY, manager.id),
      patientId,
      clinicianId: rng.chance(0.5) ? prescriber.id : therapist.id,
      start: new Date(day).toISOString(),
      durationMinutes: 120,
      visitKind: rng.pick(['dosing', 'integration', 'maintenance'] as const),
      program: esketamine ? 'esketamine' : 'in-office-iv',
      cancelled: false,
    });
  }
  return out;
}
