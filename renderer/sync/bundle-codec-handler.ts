/**
 * What the bundle worker does with one request, as a plain function (the worker file only wires
 * it to postMessage), so tests can drive the exact worker code path without a Worker.
 */
import { BundleRejectedError, decodeBundle, encodeBundle } from '../../shared/sync/bundle';
import type { CodecReply, CodecRequest } from './bundle-codec-protocol';

export async function handleCodecRequest(
  request: CodecRequest,
): Promise<{ reply: CodecReply; transfer: Transferable[] }> {
  try {
    if (request.op === 'encode') {
      const value = await encodeBundle(request.input);
      return { reply: { id: request.id, ok: true, value }, transfer: [value.bytes.buffer] };
    }
    const { publicKey, dataKey } = request;
    const value = await decodeBundle(request.bytes, {
      clinicId: request.clinicId,
      publicKeyFor: () => publicKey,
      dataKeyFor: () => dataKey,
    });
    return { reply: { id: request.id, ok: true, value }, transfer: [] };
  } catch (e) {
    if (e instanceof BundleRejectedError)
      return {
        reply: {
          id: request.id,
          ok: false,
          rejected: { reason: e.reason, header: e.header, hint: e.hint },
          message: e.message,
        },
        transfer: [],
      };
    return {
      reply: {
        id: request.id,
        ok: false,
        message: e instanceof Error ? e.message : 'The sync worker failed.',
      },
      transfer: [],
    };
  }
}
