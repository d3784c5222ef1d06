/** Create a demo clinic: four staff with one shown passphrase, then the synthetic records in chunks. */
import {
  DEMO_PASSPHRASE,
  DEMO_SIZES,
  type DemoSize,
  generateDemoClinic,
} from '../../../shared/demo/generate';
import { db, signIn } from '../../app/app-state';
import { addUser, createClinic } from '../../db/auth';
import { RecordStore } from '../../db/record-store';

export const DEMO_USERS = [
  {
    username: 'sam',
    displayName: 'Sam Patel',
    credentials: 'MD',
    roles: ['prescriber' as const],
    what: 'Prescriber',
  },
  {
    username: 'dana',
    displayName: 'Dana Reyes',
    credentials: 'LCSW',
    roles: ['therapist' as const],
    what: 'Therapist',
  },
  {
    username: 'jordan',
    displayName: 'Jordan Lee',
    roles: ['practice-manager' as const],
    what: 'Practice manager',
  },
  {
    username: 'avery',
    displayName: 'Avery Brooks',
    roles: ['administrator' as const],
    what: 'Administrator',
  },
];

export type DemoProgress = { step: string; done: number; total: number };

export async function createDemoClinic(
  size: DemoSize,
  onProgress: (p: DemoProgress) => void,
): Promise<void> {
  const total = DEMO_SIZES[size];
  onProgress({ step: 'Creating the clinic and its staff', done: 0, total });
  const [admin, ...staff] = [DEMO_USERS[3]!, ...DEMO_USERS.slice(0, 3)];
  const session = await createClinic(db, {
    clinicName: 'Harbor Light Ketamine Clinic',
    admin: { ...admin, passphrase: DEMO_PASSPHRASE },
    demo: true,
  });
  const store = new RecordStore(db, session);
  const users = [];
  for (const u of staff) users.push(await addUser(store, { ...u, passphrase: DEMO_PASSPHRASE }));
  const [sam, dana, jordan] = users as [
    NonNullable<(typeof users)[0]>,
    NonNullable<(typeof users)[0]>,
    NonNullable<(typeof users)[0]>,
  ];
  const name = (u: typeof sam) =>
    u.credentials ? `${u.displayName}, ${u.credentials}` : u.displayName;
  for await (const chunk of generateDemoClinic({
    clinicId: session.clinicId,
    node: session.deviceId,
    staff: {
      prescriber: { id: sam.id, name: name(sam) },
      therapist: { id: dana.id, name: name(dana) },
      manager: { id: jordan.id, name: name(jordan) },
    },
    patients: total,
    now: new Date(),
    consentTemplates: await store.listKind('consent-template'), // seeded by createClinic
    chunk: size === 'large' ? 50 : 10,
  })) {
    await store.importRecords(
      chunk.records,
      `Demo clinic: patients ${chunk.patientsDone} of ${total}`,
    );
    onProgress({ step: 'Writing synthetic charts', done: chunk.patientsDone, total });
  }
  onProgress({ step: 'Signing you in as Sam Patel, prescriber', done: total, total });
  await signIn('sam', DEMO_PASSPHRASE);
}
