/**
 * Child process for the crash test: pushes bundles into an embedded store as fast as it can and
 * prints `ack <seq> <bundleId>` only after the store acknowledged each one. The test kills it with
 * SIGKILL mid-stream and checks that every acknowledged bundle is still there.
 */
import { uuidv7 } from '../../shared/util/ids';
import { EmbeddedStore } from '../../server/store/embedded';

const [dir, clinicId, deviceId] = process.argv.slice(2) as [string, string, string];
const store = await EmbeddedStore.open({ dir, log: () => {} });

async function pushForever(lane: number): Promise<never> {
  for (;;) {
    const bundleId = uuidv7();
    const bytes = new Uint8Array(2_000 + lane * 100).fill(lane);
    const { seq } = await store.putBundle({
      clinicId,
      bundleId,
      deviceId,
      keyVersion: 1,
      protocol: 1,
      bytes,
    });
    process.stdout.write(`ack ${seq} ${bundleId}\n`);
  }
}

await Promise.all(Array.from({ length: 8 }, (_, lane) => pushForever(lane)));
