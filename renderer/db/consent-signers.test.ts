import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentTemplate } from '../../shared/model';
import { signaturePngDataUrl } from '../../shared/print/test-support';
import { addUser, signIn } from './auth';
import { placeholderValues, signConsentForms, templateVersions } from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { addMaya, freshClinic } from './test-support';
import * as signers from './consent-signers';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const SETTINGS = { clinicName: 'Harbor Ketamine Clinic', address: '1 Dock St', phone: '555-0100' };
const SIGNED_AT = '2026-03-01T15:00:00.000Z';
const ink = (n: number) => signaturePngDataUrl(n, 60, 20);

/** Jordan, a practice manager, collects the signatures; Dana is a therapist. */
async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  const jordan = await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager'],
    passphrase: 'paper lanterns float',
  });
  const dana = await addUser(c.store, {
    displayName: 'Dana Reyes',
    username: 'dana',
    roles: ['therapist'],
    credentials: 'LCSW',
    passphrase: 'quiet forest path',
  });
  const store = new RecordStore(c.db, await signIn(c.db, 'jordan', 'paper lanterns float'));
  await signIn(c.db, 'dana', 'quiet forest path'); // Dana has signed in on this computer
  const patient = await addMaya(c.store);
  const informed = (await templateVersions(store, 'kat-informed-consent'))[0]!;
  return { store, patient, informed, jordan, dana };
}

const signWith = (
  c: Awaited<ReturnType<typeof clinic>>,
  template: ConsentTemplate,
  signatures: ConsentTemplate['signers'] extends unknown ? object[] : never,
) =>
  signConsentForms(c.store, {
    patient: c.patient,
    program: 'in-office-iv',
    values: placeholderValues(SETTINGS, c.patient),
    signedAt: SIGNED_AT,
    forms: [{ template, signatures: signatures as never }],
  });

const patientSig = { role: 'patient', name: 'Maya Okafor', signedAt: SIGNED_AT, image: ink(1) };

describe('consent signers are who they say (issue 17 point 5)', () => {
  it('refuses a clinician signature typed by a practice manager under any name', async () => {
    const c = await clinic();
    await expect(
      signWith(c, c.informed, [
        patientSig,
        { role: 'witness', name: 'Jordan', signedAt: SIGNED_AT, image: ink(2) },
        { role: 'clinician', name: 'Jordan', signedAt: SIGNED_AT, image: ink(3) },
      ]),
    ).rejects.toThrow(/staff member of this clinic who confirms with their own passphrase/);
    expect(await c.store.listKind('signed-consent')).toHaveLength(0);
  });

  it('refuses a staff signer who did not confirm with their passphrase, or lacks the role', async () => {
    const c = await clinic();
    const jordanAsClinician = {
      role: 'clinician',
      name: 'Jordan Lee',
      userId: c.jordan.id,
      staffRole: 'practice-manager',
      signedAt: SIGNED_AT,
      image: ink(3),
    };
    const danaAsWitness = {
      role: 'witness',
      name: 'Dana Reyes, LCSW',
      userId: c.dana.id,
      staffRole: 'therapist',
      signedAt: SIGNED_AT,
      image: ink(2),
    };
    await expect(
      signers.confirmSigner(c.store, {
        userId: c.jordan.id,
        place: 'clinician',
        passphrase: 'paper lanterns float',
      }),
    ).rejects.toThrow('Jordan Lee cannot sign as clinician: that needs a prescriber or therapist');
    await expect(
      signWith(c, c.informed, [patientSig, danaAsWitness, jordanAsClinician]),
    ).rejects.toThrow(/Dana Reyes has not confirmed the witness signature/);
    await expect(
      signers.confirmSigner(c.store, {
        userId: c.dana.id,
        place: 'witness',
        passphrase: 'wrong one',
      }),
    ).rejects.toThrow("That is not Dana Reyes's passphrase");
    await signers.confirmSigner(c.store, {
      userId: c.dana.id,
      place: 'witness',
      passphrase: 'quiet forest path',
    });
    await expect(
      signWith(c, c.informed, [patientSig, danaAsWitness, jordanAsClinician]),
    ).rejects.toThrow('Jordan Lee cannot give the clinician signature');
  });

  it('stores the confirmed user and role with each staff signature; the patient signs as the patient', async () => {
    const c = await clinic();
    const dana = await signers.confirmSigner(c.store, {
      userId: c.dana.id,
      place: 'clinician',
      passphrase: 'quiet forest path',
    });
    expect(dana).toEqual({ userId: c.dana.id, name: 'Dana Reyes, LCSW', staffRole: 'therapist' });
    const jordan = await signers.confirmSigner(c.store, {
      userId: c.jordan.id,
      place: 'witness',
      passphrase: 'paper lanterns float',
    });
    const staff = [
      { role: 'witness', ...jordan, signedAt: SIGNED_AT, image: ink(2) },
      { role: 'clinician', ...dana, signedAt: SIGNED_AT, image: ink(3) },
    ];
    await expect(
      signWith(c, c.informed, [{ ...patientSig, name: 'Someone Else' }, ...staff]),
    ).rejects.toThrow(/this chart is Maya Okafor's/);
    const [saved] = await signWith(c, c.informed, [patientSig, ...staff]);
    expect(saved!.signatures.map((s) => [s.role, s.name, s.userId, s.staffRole])).toEqual([
      ['patient', 'Maya Okafor', undefined, undefined],
      ['witness', 'Jordan Lee', c.jordan.id, 'practice-manager'],
      ['clinician', 'Dana Reyes, LCSW', c.dana.id, 'therapist'],
    ]);
  });
});
