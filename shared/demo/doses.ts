/**
 * The demo clinic's dose records (vitals, observations, discharge, signed by the prescriber) and
 * the spread of a measure's total over its items; split from generate.ts, same random draws.
 */
import type { AnyRecord } from '../model';
import type { DoseRecord } from '../model/dose';
import { signRecord } from '../rules/lifecycle';
import { type Rng, seededRng } from './random';

const MIN = 60_000;

/** Split a total score over n items, each 0..max. */
export function spread(rng: Rng, total: number, n: number, max: number): number[] {
  const items = new Array<number>(n).fill(0);
  let left = Math.min(total, n * max);
  while (left > 0) {
    const i = rng.int(0, n - 1);
    if (items[i]! < max) {
      items[i]!++;
      left--;
    }
  }
  return items;
}

type Meta = (
  atMs: number,
  createdBy: string,
) => Omit<AnyRecord & { kind: 'dose' }, 'kind' | keyof DoseFields>;
type DoseFields = Omit<
  AnyRecord & { kind: 'dose' },
  | 'kind'
  | 'id'
  | 'clinicId'
  | 'createdBy'
  | 'createdAt'
  | 'updatedAt'
  | 'status'
  | 'schemaVersion'
  | 'signature'
  | 'enteredInError'
>;

export async function dose(
  rng: Rng,
  meta: Meta,
  d: {
    patientId: string;
    encounterId: string;
    at: number;
    esketamine: boolean;
    weightKg: number;
    prescriber: { id: string; name: string };
    therapist: { id: string };
    lot: { id: string; lotNumber: string; expiry: string };
    /**
     * Blood pressure watched every 5 minutes for 95 minutes (20 readings): the demo's one dose
     * record with a long vitals series (the first patient's first dose), which the render
     * benchmark opens (issue 20).
     */
    closeWatch?: boolean;
  },
): Promise<DoseRecord> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const sys = rng.int(112, 136);
  const dia = rng.int(68, 86);
  const hr = rng.int(62, 84);
  const routine = (d.esketamine ? [0, 40, 120] : [0, 15, 30, 45, 60]).map((m, k) => ({
    at: iso(d.at + m * MIN),
    systolic: sys + (k === 0 ? 0 : rng.int(4, 18)) - (m >= 60 ? 8 : 0),
    diastolic: dia + (k === 0 ? 0 : rng.int(2, 10)),
    heartRate: hr + (k === 0 ? 0 : rng.int(0, 12)),
    spo2: rng.int(96, 99),
    respiratoryRate: rng.int(12, 16),
    label:
      k === 0
        ? ('baseline' as const)
        : d.esketamine && m === 40
          ? ('post-dose-40' as const)
          : m === 120 || m === 60
            ? ('pre-discharge' as const)
            : ('interval' as const),
  }));
  // Drawn from their own rng, after the routine readings' draws, so every other record of the
  // clinic stays as it was.
  const watch = seededRng(d.at % 2 ** 31);
  const vitals = d.closeWatch
    ? Array.from({ length: 20 }, (_, k) => {
        const m = k * 5;
        // Up about 20/10 mmHg by the end of the infusion, back near baseline by 90 minutes.
        const rise = Math.sin((Math.PI * m) / 90);
        return {
          at: iso(d.at + m * MIN),
          systolic: sys + (k === 0 ? 0 : Math.round(20 * rise + watch.int(-3, 3))),
          diastolic: dia + (k === 0 ? 0 : Math.round(10 * rise + watch.int(-2, 2))),
          heartRate: hr + (k === 0 ? 0 : watch.int(0, 12)),
          spo2: watch.int(96, 99),
          respiratoryRate: watch.int(12, 16),
          label:
            k === 0
              ? ('baseline' as const)
              : k === 19
                ? ('pre-discharge' as const)
                : ('interval' as const),
        };
      })
    : routine;
  const doseMg = d.esketamine
    ? rng.pick([56, 84])
    : Math.round(d.weightKg * rng.pick([0.5, 0.6, 0.75]) * 10) / 10;
  const observeMin = d.esketamine ? 125 : d.closeWatch ? 100 : 75;
  const record = {
    kind: 'dose' as const,
    ...meta(d.at, d.prescriber.id),
    patientId: d.patientId,
    encounterId: d.encounterId,
    medication: d.esketamine ? ('esketamine-nasal' as const) : ('ketamine-hcl' as const),
    route: d.esketamine ? ('intranasal' as const) : ('iv-infusion' as const),
    doseMg,
    weightKg: d.weightKg,
    weightMeasuredOn: iso(d.at).slice(0, 10),
    ...(d.esketamine
      ? {}
      : {
          concentrationMgPerMl: 10,
          volumeMl: doseMg / 10,
          infusionStart: iso(d.at + 5 * MIN),
          // the planned dose over 40 minutes, so the record states what was given
          initialRateMgPerHour: doseMg * 1.5,
          infusionEnd: iso(d.at + 45 * MIN),
          totalGivenMg: doseMg,
        }),
    rateChanges: [],
    boluses: [],
    lotId: d.lot.id,
    lotNumber: d.lot.lotNumber,
    lotExpiry: d.lot.expiry,
    prescriberId: d.prescriber.id,
    administeredBy: d.prescriber.id,
    setting: 'in-office' as const,
    vitals,
    observations: [20, 40, 60].map((m) => ({
      at: iso(d.at + m * MIN),
      moaas: m === 20 ? rng.int(3, 4) : 5,
      cadss: m === 20 ? rng.int(10, 30) : rng.int(0, 6),
    })),
    adverseEvents: rng.chance(0.12)
      ? [
          {
            at: iso(d.at + 25 * MIN),
            kind: 'nausea' as const,
            severity: 'mild' as const,
            serious: false,
            intervention: 'Ondansetron 4 mg ODT',
          },
        ]
      : [],
    discharge: {
      at: iso(d.at + observeMin * MIN),
      vitalsNearBaseline: true,
      sedationResolved: true,
      dissociationResolved: true,
      alertAndOriented: true,
      escortName: 'Partner',
      transport: 'Driven home by partner',
      noDrivingInstructionGiven: true,
    },
    overrides: [],
  };
  return (await signRecord(
    record as never,
    d.prescriber,
    new Date(d.at + (observeMin + 5) * MIN),
  )) as DoseRecord;
}
