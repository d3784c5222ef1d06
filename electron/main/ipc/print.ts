import { ipcError, ipcOk, parseIpcRequest, type IpcReply } from '../../../shared/ipc';

export type PrintAttempt = 'printed' | 'cancelled' | 'failed';

export type PrintDeps = {
  /** Writes the PDF where only this user can read it (userData), returns its path. */
  writeTempPdf: (bytes: Uint8Array) => Promise<string>;
  /** Shows the OS print dialog for the PDF (hidden window with Chromium's PDF viewer). */
  printPdfFile: (path: string, title: string) => Promise<PrintAttempt>;
  /** Fallback: the OS's own PDF app, from which the person prints. */
  openWithSystemViewer: (path: string) => Promise<boolean>;
  removeFile: (path: string) => Promise<void>;
};

/**
 * Printing goes through a file, not a data URL: Chromium's PDF viewer loads files reliably and
 * Electron prints a PDF document's own frame since v32 (electron#43309). If the viewer cannot print
 * (no PDF viewer in this build, no printer driver), the OS's PDF app is the next best thing. The
 * file holds patient data, so it is removed as soon as it is not needed; a file handed to the OS
 * viewer stays until the next start sweeps the print folder.
 */
export async function printPdf(deps: PrintDeps, payload: unknown): IpcReply<'print:pdf'> {
  const parsed = parseIpcRequest('print:pdf', payload);
  if (!parsed.ok) return parsed.result;
  const { bytes, title } = parsed.request;

  const path = await deps.writeTempPdf(bytes);
  const attempt = await deps.printPdfFile(path, title).catch((): PrintAttempt => 'failed');
  if (attempt !== 'failed') {
    await deps.removeFile(path);
    return ipcOk({ outcome: attempt });
  }
  if (await deps.openWithSystemViewer(path).catch(() => false)) return ipcOk({ outcome: 'opened' });
  await deps.removeFile(path);
  return ipcError(
    'print-failed',
    'The PDF could not be sent to a printer or opened. Save it as a PDF instead and print it from there.',
  );
}
