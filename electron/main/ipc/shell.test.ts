import { describe, expect, it, vi } from 'vitest';
import { openExternal } from './shell';

const fakeShell = () => ({ openExternal: vi.fn(async (_url: string) => undefined) });

describe('shell:open-external', () => {
  it('hands a web link to the OS, normalized', async () => {
    const deps = fakeShell();
    const result = await openExternal(deps, { url: 'https://www.spravatorems.com/' });
    expect(result).toEqual({ ok: true, value: { opened: true } });
    expect(deps.openExternal).toHaveBeenCalledWith('https://www.spravatorems.com/');
  });

  it.each([
    'javascript:alert(document.cookie)',
    'file:///C:/Windows/System32/calc.exe',
    'smb://attacker.example/share',
    'ms-msdt:/id PCWDiagnostic',
    'https://www.fda.gov@evil.example/label.pdf',
    '',
  ])('refuses %j without calling the OS', async (url) => {
    const deps = fakeShell();
    const result = await openExternal(deps, { url });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(deps.openExternal).not.toHaveBeenCalled();
  });

  it('opens the host the URL parser sees, not the one a substring check would', async () => {
    // "https://evil.example\\@good.example" parses to host evil.example: what opens is evil, and
    // says so; a substring check for "good.example" would have been fooled.
    const deps = fakeShell();
    await openExternal(deps, { url: 'https://evil.example\\@good.example/' });
    expect(deps.openExternal).toHaveBeenCalledWith('https://evil.example/@good.example/');
  });

  it('says so when no browser opens the link', async () => {
    const deps = fakeShell();
    deps.openExternal.mockRejectedValue(new Error('no handler'));
    const result = await openExternal(deps, { url: 'https://example.org' });
    expect(result).toMatchObject({ ok: false, error: { code: 'open-failed' } });
  });
});
