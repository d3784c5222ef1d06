import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, ipcError, type IpcChannel, type IpcReply } from '../../../shared/ipc';

/** Each channel's handler with its Electron pieces already bound: payload in, result out. */
export type IpcHandlers = { readonly [C in IpcChannel]: (payload: unknown) => IpcReply<C> };

export type RegistrarDeps = {
  ipcMain: Pick<IpcMain, 'handle'>;
  handlers: IpcHandlers;
  isTrusted: (event: IpcMainInvokeEvent) => boolean;
  /** Gets the channel and what went wrong, never the payload: payloads carry patient data. */
  log: (message: string, error?: unknown) => void;
};

const UNTRUSTED =
  'This request did not come from the KAT Chart window, so the desktop app refused it.';
const INTERNAL =
  'Something went wrong in the desktop app. Try again; if it keeps happening, restart KAT Chart.';

/** Wires every channel of the contract to ipcMain.handle behind the sender check. */
export function registerIpcHandlers({ ipcMain, handlers, isTrusted, log }: RegistrarDeps): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrusted(event)) {
        log(`refused ${channel} from an untrusted frame`);
        return ipcError('untrusted-sender', UNTRUSTED);
      }
      try {
        return await handlers[channel](payload);
      } catch (error) {
        // Handlers answer with results; a throw is a bug. It must not cross the bridge as a stack.
        log(`handler for ${channel} failed`, error);
        return ipcError('internal', INTERNAL);
      }
    });
  }
}
