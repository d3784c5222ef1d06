import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc';
import { createIpcHandlers } from './handlers';
import { registerIpcHandlers, type IpcHandlers } from './register';
import { isTrustedSender, senderFacts } from './sender';
import { PDF, fakeBackup, fakeKeychain, fakePrint, fakeSave } from './test-fakes';

type Listener = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

const MAIN_WINDOW_ID = 7;
const policy = { appOrigin: 'kat://app', trustedWebContentsIds: () => [MAIN_WINDOW_ID] };

/** The parts of an invoke event the sender check reads. */
function eventFrom(url: string | null, { webContentsId = MAIN_WINDOW_ID, topFrame = true } = {}) {
  const frame = url === null ? null : { url, parent: topFrame ? null : {} };
  return { sender: { id: webContentsId }, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

function wire(handlers: IpcHandlers) {
  const listeners = new Map<string, Listener>();
  const ipcMain = {
    handle: vi.fn((channel: string, l: Listener) => void listeners.set(channel, l)),
  };
  const log = vi.fn();
  registerIpcHandlers({
    ipcMain,
    handlers,
    isTrusted: (event) => isTrustedSender(senderFacts(event), policy),
    log,
  });
  return { listeners, log };
}

function desktopHandlers() {
  const print = fakePrint();
  const handlers = createIpcHandlers({
    app: { name: 'KAT Chart', version: '0.1.0', platform: 'linux' },
    print,
    save: fakeSave(),
    shell: { openExternal: vi.fn(async () => undefined) },
    keychain: fakeKeychain(),
    backup: fakeBackup(),
  });
  return { handlers, print };
}

describe('IPC registrar', () => {
  it('registers every channel of the contract', () => {
    const { listeners } = wire(desktopHandlers().handlers);
    expect([...listeners.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('answers our window showing our app', async () => {
    const { handlers, print } = desktopHandlers();
    const { listeners } = wire(handlers);
    const reply = await listeners.get('print:pdf')!(eventFrom('kat://app/index.html'), {
      bytes: PDF,
      title: 'Packet',
    });
    expect(reply).toEqual({ ok: true, value: { outcome: 'printed' } });
    expect(print.printPdfFile).toHaveBeenCalled();
  });

  it.each([
    ['a foreign page', eventFrom('https://evil.example/kat://app')],
    ['a look-alike host', eventFrom('kat://app.evil/index.html')],
    ['a file:// page', eventFrom('file:///home/ann/Downloads/trap.html')],
    ['a sub-frame of our app', eventFrom('kat://app/index.html', { topFrame: false })],
    ['another window', eventFrom('kat://app/index.html', { webContentsId: 99 })],
    ['a frame already gone', eventFrom(null)],
  ])('refuses %s before any handler runs', async (_what, event) => {
    const { handlers, print } = desktopHandlers();
    const { listeners, log } = wire(handlers);
    const reply = await listeners.get('print:pdf')!(event, { bytes: PDF, title: 'Packet' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    expect(print.writeTempPdf).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('untrusted'));
  });

  it('trusts the dev server only when it is the app origin', () => {
    const dev = { appOrigin: 'http://localhost:5173', trustedWebContentsIds: () => [1] };
    const facts = (frameUrl: string) => ({ webContentsId: 1, frameUrl, isTopFrame: true });
    expect(isTrustedSender(facts('http://localhost:5173/'), dev)).toBe(true);
    expect(isTrustedSender(facts('http://localhost:5174/'), dev)).toBe(false);
    expect(isTrustedSender(facts('kat://app/index.html'), dev)).toBe(false);
  });

  it('turns a handler crash into a plain message and logs no payload', async () => {
    const { handlers } = desktopHandlers();
    const crashing: IpcHandlers = {
      ...handlers,
      'keychain:set': async () => {
        throw new Error('disk on fire');
      },
    };
    const { listeners, log } = wire(crashing);
    const reply = await listeners.get('keychain:set')!(eventFrom('kat://app/'), {
      name: 'device-key',
      secret: 'patient-visible-secret',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toContain('disk on fire');
    expect(JSON.stringify(log.mock.calls)).not.toContain('patient-visible-secret');
  });
});
