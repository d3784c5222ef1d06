import { describe, expect, it } from 'vitest';
import { saveFile, savePdf } from './files';
import { PDF, fakeSave } from './test-fakes';

const exportType = { label: 'KAT Chart export', extension: 'json', mimeType: 'application/json' };

describe('file:save-pdf', () => {
  it('asks where to save, writes the bytes there and names only the file', async () => {
    const deps = fakeSave('/home/ann/Documents/packet.pdf');
    const result = await savePdf(deps, { bytes: PDF, suggestedName: 'Consent packet' });
    expect(result).toEqual({ ok: true, value: { outcome: 'saved', fileName: 'packet.pdf' } });
    expect(deps.askWhereToSave).toHaveBeenCalledWith({
      suggestedName: 'Consent packet.pdf',
      filterName: 'PDF document',
      extension: 'pdf',
    });
    expect(deps.writeFile).toHaveBeenCalledWith('/home/ann/Documents/packet.pdf', PDF);
  });

  it('writes nothing when the person cancels', async () => {
    const deps = fakeSave(null);
    expect(await savePdf(deps, { bytes: PDF, suggestedName: 'x' })).toEqual({
      ok: true,
      value: { outcome: 'cancelled' },
    });
    expect(deps.writeFile).not.toHaveBeenCalled();
  });

  it('adds the extension a Linux dialog leaves off', async () => {
    const deps = fakeSave('/home/ann/packet');
    const result = await savePdf(deps, { bytes: PDF, suggestedName: 'x' });
    expect(result).toEqual({ ok: true, value: { outcome: 'saved', fileName: 'packet.pdf' } });
    expect(deps.writeFile).toHaveBeenCalledWith('/home/ann/packet.pdf', PDF);
  });

  it('says the file was not saved when the disk refuses', async () => {
    const deps = fakeSave();
    deps.writeFile.mockRejectedValue(Object.assign(new Error('nope'), { code: 'ENOSPC' }));
    const result = await savePdf(deps, { bytes: PDF, suggestedName: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'write-failed' } });
    if (!result.ok)
      expect(result.error.message).toMatch(/could not be saved.*Choose another place/);
  });

  it('opens no dialog for a malformed request', async () => {
    const deps = fakeSave();
    const result = await savePdf(deps, { bytes: [37, 80, 68, 70], suggestedName: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(deps.askWhereToSave).not.toHaveBeenCalled();
    expect(deps.writeFile).not.toHaveBeenCalled();
  });
});

describe('file:save', () => {
  it('offers the file type the caller named', async () => {
    const deps = fakeSave('/home/ann/clinic.json');
    const bytes = new TextEncoder().encode('{"patients":[]}');
    const result = await saveFile(deps, { bytes, suggestedName: 'clinic', fileType: exportType });
    expect(result).toEqual({ ok: true, value: { outcome: 'saved', fileName: 'clinic.json' } });
    expect(deps.askWhereToSave).toHaveBeenCalledWith({
      suggestedName: 'clinic.json',
      filterName: 'KAT Chart export',
      extension: 'json',
    });
  });

  it('opens no dialog without a file type', async () => {
    const deps = fakeSave();
    const result = await saveFile(deps, { bytes: PDF, suggestedName: 'clinic' });
    expect(result.ok).toBe(false);
    expect(deps.askWhereToSave).not.toHaveBeenCalled();
  });
});
