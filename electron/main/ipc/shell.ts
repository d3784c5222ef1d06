import { ipcError, ipcOk, parseIpcRequest, type IpcReply } from '../../../shared/ipc';

export type ShellDeps = { openExternal: (url: string) => Promise<void> };

/** Only what the shared ExternalUrl schema accepted (parsed http/https, no credentials) reaches the OS. */
export async function openExternal(
  deps: ShellDeps,
  payload: unknown,
): IpcReply<'shell:open-external'> {
  const parsed = parseIpcRequest('shell:open-external', payload);
  if (!parsed.ok) return parsed.result;
  try {
    await deps.openExternal(parsed.request.url);
  } catch {
    return ipcError('open-failed', 'No web browser on this computer opened the link.');
  }
  return ipcOk({ opened: true });
}
