/**
 * The benchmark clinic: the deterministic demo generator (shared/demo) with fixed staff, clinic
 * and date, so every run measures the same records. Used in Node and in the bench page alike.
 */
import { demoAuditTrail } from '../../shared/demo/audit';
import { generateDemoClinic } from '../../shared/demo/generate';
import type { AnyRecord } from '../../shared/model';

export const BENCH_CLINIC_ID = '0190a000-0000-7000-8000-0000000000be';
export const BENCH_STAFF = {
  therapist: { id: '0190a000-0000-7000-8000-000000000b01', name: 'Dana Reyes, LCSW' },
  prescriber: { id: '0190a000-0000-7000-8000-000000000b02', name: 'Sam Patel, MD' },
  manager: { id: '0190a000-0000-7000-8000-000000000b03', name: 'Jordan Lee' },
};
/** In the past, so no record's clock is ahead of a receiving device's (HLC drift check). */
export const BENCH_NOW = new Date('2026-11-01T12:00:00Z');

export async function benchRecords(
  patients: number,
  limit = Infinity,
  clinicId = BENCH_CLINIC_ID,
): Promise<AnyRecord[]> {
  const out: AnyRecord[] = [];
  for await (const chunk of generateDemoClinic({
    clinicId,
    node: 'bench',
    staff: BENCH_STAFF,
    patients,
    now: BENCH_NOW,
  })) {
    out.push(...chunk.records);
    if (out.length >= limit) return out.slice(0, limit);
  }
  return out;
}

export type Counts = Record<string, number> & { total: number; jsonBytes: number };

export function countRecords(records: readonly AnyRecord[]): Counts {
  const counts: Counts = { total: records.length, jsonBytes: 0 };
  for (const r of records) {
    counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    counts.jsonBytes += JSON.stringify(r).length;
  }
  return counts;
}

/** The clinic's audit trail (signatures, sign-ins, prints), as generated for the benchmarks. */
export function benchAuditEvents(records: readonly AnyRecord[]) {
  return demoAuditTrail(records, {
    clinicId: BENCH_CLINIC_ID,
    deviceId: 'bench',
    staff: BENCH_STAFF,
  });
}
