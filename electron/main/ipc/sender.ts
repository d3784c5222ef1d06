/**
 * Only our own window's top frame, showing our own app, may call the handlers. A sandboxed,
 * context-isolated renderer cannot reach ipcRenderer anyway; this check keeps it that way if a
 * frame, a second window or a navigation ever slips through the other guards.
 */
import type { IpcMainInvokeEvent } from 'electron';

export type SenderFacts = {
  webContentsId: number;
  /** null when the frame is already gone (navigated away or destroyed). */
  frameUrl: string | null;
  isTopFrame: boolean;
};

export type SenderPolicy = {
  /** The app's origin, e.g. `kat://app` or the dev server's `http://localhost:5173`. */
  appOrigin: string;
  trustedWebContentsIds: () => Iterable<number>;
};

/** `kat://app` is not a special scheme for Node's URL (origin "null"), so compare parts. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const target = URL.parse(url);
  const app = URL.parse(appOrigin);
  if (!target || !app) return false;
  return target.protocol === app.protocol && target.host === app.host && !target.username;
}

export function isTrustedSender(facts: SenderFacts, policy: SenderPolicy): boolean {
  if (!facts.isTopFrame || facts.frameUrl === null) return false;
  if (![...policy.trustedWebContentsIds()].includes(facts.webContentsId)) return false;
  return isAppUrl(facts.frameUrl, policy.appOrigin);
}

export function senderFacts(event: IpcMainInvokeEvent): SenderFacts {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    isTopFrame: frame !== null && frame.parent === null,
  };
}
