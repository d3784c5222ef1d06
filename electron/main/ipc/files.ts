import { basename, extname } from 'node:path';
import {
  ipcError,
  ipcOk,
  parseIpcRequest,
  type IpcReply,
  type IpcResponse,
} from '../../../shared/ipc';

export type SaveDialogRequest = { suggestedName: string; filterName: string; extension: string };

export type SaveDeps = {
  /** The OS Save dialog; null when the person cancels. */
  askWhereToSave: (request: SaveDialogRequest) => Promise<string | null>;
  writeFile: (path: string, bytes: Uint8Array) => Promise<void>;
};

export async function savePdf(deps: SaveDeps, payload: unknown): IpcReply<'file:save-pdf'> {
  const parsed = parseIpcRequest('file:save-pdf', payload);
  if (!parsed.ok) return parsed.result;
  const { bytes, suggestedName } = parsed.request;
  return saveWithDialog(deps, bytes, {
    suggestedName,
    filterName: 'PDF document',
    extension: 'pdf',
  });
}

export async function saveFile(deps: SaveDeps, payload: unknown): IpcReply<'file:save'> {
  const parsed = parseIpcRequest('file:save', payload);
  if (!parsed.ok) return parsed.result;
  const { bytes, suggestedName, fileType } = parsed.request;
  return saveWithDialog(deps, bytes, {
    suggestedName,
    filterName: fileType.label,
    extension: fileType.extension,
  });
}

async function saveWithDialog(
  deps: SaveDeps,
  bytes: Uint8Array,
  request: SaveDialogRequest,
): IpcReply<'file:save'> {
  const chosen = await deps.askWhereToSave(request);
  if (chosen === null) return ipcOk<IpcResponse<'file:save'>>({ outcome: 'cancelled' });
  // Linux save dialogs do not add the filter's extension; without it the file would not reopen.
  const path = extname(chosen) ? chosen : `${chosen}.${request.extension}`;
  try {
    await deps.writeFile(path, bytes);
  } catch {
    return ipcError(
      'write-failed',
      `“${basename(path)}” could not be saved there (the disk may be full or the folder read-only). Choose another place and try again.`,
    );
  }
  return ipcOk({ outcome: 'saved', fileName: basename(path) });
}
