/**
 * Re-sealing at rest after a clinic key rotation (issue 13 point 5): the whole generated clinic
 * is stored under version 1 through the app's own first-run code, an administrator rotates, and
 * `resealAtRest` (renderer/db/reseal.ts, as the app runs it: batches of 200, a macrotask between
 * batches) moves every record to version 2. While it runs, a 10 ms timer measures how long the
 * main thread was held at a time (what a clinician typing meanwhile would feel).
 */
import { Dexie } from 'dexie';
import { createClinic } from '../../../renderer/db/auth';
import { KatDatabase } from '../../../renderer/db/database';
import { encryptRecord, indexFields } from '../../../renderer/db/record-crypto';
import { RecordStore } from '../../../renderer/db/record-store';
import { resealAtRest } from '../../../renderer/db/reseal';
import { rotateClinicKey } from '../../../renderer/sync/clinic-keys';
import { generateDemoClinic } from '../../../shared/demo/generate';
import { uuidv7 } from '../../../shared/util/ids';
import { BENCH_NOW, BENCH_STAFF } from '../data';

export async function resealClinic(patients: number, batchSize = 200) {
  const name = `bench-reseal-${uuidv7()}`;
  const db = new KatDatabase(name);
  try {
    const session = await createClinic(db, {
      clinicName: 'Bench clinic',
      admin: {
        displayName: 'Bench Admin',
        username: 'bench.admin',
        passphrase: 'a long bench passphrase',
      },
    });
    let records = 0;
    let jsonBytes = 0;
    for await (const chunk of generateDemoClinic({
      clinicId: session.clinicId,
      node: 'bench',
      staff: BENCH_STAFF,
      patients,
      now: BENCH_NOW,
      chunk: 25,
    })) {
      const rows = await Promise.all(
        chunk.records.map((r) => {
          jsonBytes += JSON.stringify(r).length;
          return encryptRecord(r, session.dataKey, session.keyVersion, indexFields(r));
        }),
      );
      await db.records.bulkPut(rows);
      records += rows.length;
    }
    await rotateClinicKey(new RecordStore(db, session), 'manual');
    if (session.keyVersion !== 2) throw new Error('The rotation did not reach the session.');

    let last = performance.now();
    let maxGapMs = 0;
    const gaps: number[] = [];
    const probe = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
    }, 10);
    let batches = 0;
    const t0 = performance.now();
    const state = await resealAtRest(db, session, { batchSize, onProgress: () => batches++ });
    const ms = performance.now() - t0;
    clearInterval(probe);
    const left = await db.records.filter((r) => r.keyVersion !== 2).count();
    if (state.step !== 'done' || left !== 0)
      throw new Error(`The re-seal stopped at ${state.step} with ${left} rows left.`);
    gaps.sort((a, b) => a - b);
    return {
      patients,
      records: await db.records.count(),
      generated: records,
      jsonBytes,
      moved: state.moved,
      ms,
      batches,
      batchSize,
      maxGapMs,
      p99GapMs: gaps[Math.floor(gaps.length * 0.99)] ?? 0,
    };
  } finally {
    db.close();
    await Dexie.delete(name);
  }
}
