/**
 * The patient banner reads risk alerts only for a role that may read measures. For a practice
 * manager or an administrator it asked anyway, and every chart they opened wrote an "Access
 * refused" event to the audit log (found while profiling the chart, issue 20): noise a privacy
 * officer would have to chase, in their name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../db/auth';
import { listAuditEvents } from '../../db/audit-repository';
import { breakTheGlass } from '../../db/break-glass';
import type { KatDatabase } from '../../db/database';
import { RecordStore } from '../../db/record-store';
import { addMaya, freshClinic } from '../../db/test-support';
import { patientBannerData } from './use-patient-banner';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

/** Refusals are written outside the read's transaction: a moment after it. */
const settle = () => new Promise((r) => setTimeout(r, 50));

async function clinicWith(role: 'practice-manager' | 'therapist') {
  const c = await freshClinic();
  opened.push(c.db);
  const maya = await addMaya(c.store);
  const user = await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: [role],
    passphrase: 'a long enough passphrase for tests',
  });
  return { ...c, maya, as: new RecordStore(c.db, { ...c.session, user }) };
}

describe('the patient banner', () => {
  it('opened by a practice manager shows no alerts and logs no refused access', async () => {
    const { store, maya, as } = await clinicWith('practice-manager');
    const banner = await patientBannerData(as, maya.id);
    expect(banner?.patient.id).toBe(maya.id);
    expect(banner?.alerts).toBeUndefined();
    await settle();
    expect(await listAuditEvents(store, { action: 'access-refused' })).toEqual([]);
  });

  it('reads the alerts for a clinician, and under emergency access', async () => {
    const therapist = await clinicWith('therapist');
    expect((await patientBannerData(therapist.as, therapist.maya.id))?.alerts).toEqual([]);
    const { maya, as } = await clinicWith('practice-manager');
    await breakTheGlass(as, maya.id, 'Patient collapsed in the waiting room');
    expect((await patientBannerData(as, maya.id))?.alerts).toEqual([]);
  });
});
