/**
 * The first computer of the join-pull bench (tests/bench/join-pull.ts): served from the app's own
 * origin in the first computer's browser profile, it writes a demo clinic of `patients` patients
 * into the app's database with the app's own demo writer (renderer/db/demo-clinic.ts: the clinic,
 * its four staff, their signed records, an outbox row each), exactly as "Explore a demo clinic"
 * does but at a size the welcome screen does not offer. The app, opened next on the same origin,
 * finds the clinic at its sign-in screen; connected to the server, it pushes the records itself.
 */
import { buildDemoClinic } from '../../../renderer/db/demo-clinic';
import { KatDatabase } from '../../../renderer/db/database';

async function demoClinic(patients: number): Promise<{ records: number; ms: number }> {
  const t0 = performance.now();
  const db = new KatDatabase();
  await buildDemoClinic(db, { patients }, () => {});
  const records = await db.records.count();
  db.close();
  return { records, ms: performance.now() - t0 };
}

(globalThis as unknown as { katClinicSeed: unknown }).katClinicSeed = { demoClinic };
