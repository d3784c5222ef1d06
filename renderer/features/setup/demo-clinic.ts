/** Create a demo clinic in the app's database (renderer/db/demo-clinic.ts), then sign in as Sam. */
import { DEMO_PASSPHRASE, DEMO_SIZES, type DemoSize } from '../../../shared/demo/generate';
import { db, signIn } from '../../app/app-state';
import { type DemoProgress, buildDemoClinic } from '../../db/demo-clinic';

export { DEMO_USERS, type DemoProgress } from '../../db/demo-clinic';

export async function createDemoClinic(
  size: DemoSize,
  onProgress: (p: DemoProgress) => void,
): Promise<void> {
  await buildDemoClinic(db, size, onProgress);
  const total = DEMO_SIZES[size];
  onProgress({ step: 'Signing you in as Sam Patel, prescriber', done: total, total });
  await signIn('sam', DEMO_PASSPHRASE);
}
