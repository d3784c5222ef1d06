import { ipcOk, parseIpcRequest, type IpcReply } from '../../../shared/ipc';

/** Facts about the running app. Deliberately no paths: the renderer has no use for them. */
export type AppInfoDeps = {
  name: string;
  version: string;
  platform: string;
  computerName?: string;
};

export async function readAppInfo(deps: AppInfoDeps, payload: unknown): IpcReply<'app:info'> {
  const parsed = parseIpcRequest('app:info', payload);
  if (!parsed.ok) return parsed.result;
  return ipcOk({
    name: deps.name,
    version: deps.version,
    platform: deps.platform,
    computerName: deps.computerName,
    features: { backupFolder: true },
  });
}
