import { describe, expect, it } from 'vitest';
import { printPdf } from './print';
import { PDF, fakePrint } from './test-fakes';

describe('print:pdf', () => {
  it('prints through the OS dialog and removes the temporary file', async () => {
    const deps = fakePrint('printed');
    const result = await printPdf(deps, { bytes: PDF, title: 'Consent packet — Doe, Jane' });
    expect(result).toEqual({ ok: true, value: { outcome: 'printed' } });
    expect(deps.writeTempPdf).toHaveBeenCalledWith(PDF);
    expect(deps.printPdfFile).toHaveBeenCalledWith(
      '/userData/print/1.pdf',
      'Consent packet — Doe, Jane',
    );
    expect(deps.removeFile).toHaveBeenCalledWith('/userData/print/1.pdf');
  });

  it('reports a cancelled print dialog as cancelled, not as an error', async () => {
    const deps = fakePrint('cancelled');
    expect(await printPdf(deps, { bytes: PDF, title: 'Packet' })).toEqual({
      ok: true,
      value: { outcome: 'cancelled' },
    });
    expect(deps.removeFile).toHaveBeenCalled();
  });

  it('falls back to the OS PDF app when the viewer cannot print', async () => {
    const deps = fakePrint('failed');
    expect(await printPdf(deps, { bytes: PDF, title: 'Packet' })).toEqual({
      ok: true,
      value: { outcome: 'opened' },
    });
    expect(deps.openWithSystemViewer).toHaveBeenCalledWith('/userData/print/1.pdf');
    expect(deps.removeFile).not.toHaveBeenCalled();
  });

  it('says what to do when nothing can print the PDF, and leaves no file behind', async () => {
    const deps = fakePrint('failed');
    deps.openWithSystemViewer.mockResolvedValue(false);
    const result = await printPdf(deps, { bytes: PDF, title: 'Packet' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('print-failed');
      expect(result.error.message).toMatch(/Save it as a PDF/);
    }
    expect(deps.removeFile).toHaveBeenCalledWith('/userData/print/1.pdf');
  });

  it('refuses a request that is not a PDF before touching the disk or a printer', async () => {
    const deps = fakePrint();
    const result = await printPdf(deps, { bytes: new TextEncoder().encode('<html>'), title: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (!result.ok) expect(result.error.message).toMatch(/not a PDF/);
    expect(deps.writeTempPdf).not.toHaveBeenCalled();
    expect(deps.printPdfFile).not.toHaveBeenCalled();
  });
});
