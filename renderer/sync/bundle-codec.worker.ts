/// <reference lib="webworker" />
/**
 * The sync bundle worker: runs encodeBundle / decodeBundle (shared/sync/bundle.ts) for the engine
 * so compression, encryption and signatures stay off the page's thread. See bundle-codec.ts.
 */
import { handleCodecRequest } from './bundle-codec-handler';
import type { CodecRequest } from './bundle-codec-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (e: MessageEvent<CodecRequest>) => {
  void handleCodecRequest(e.data).then(({ reply, transfer }) => scope.postMessage(reply, transfer));
});
