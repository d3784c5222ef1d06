import { describe, expect, it } from 'vitest';
import {
  IPC_CHANNELS,
  ipcContract,
  ipcError,
  ipcOk,
  ipcResultSchema,
  parseIpcRequest,
  type IpcChannel,
} from './ipc';
import { utf8 } from './util/bytes';

const pdf = utf8('%PDF-1.7\n% a consent packet\n');

function refusal(channel: IpcChannel, payload: unknown): string {
  const parsed = parseIpcRequest(channel, payload);
  if (parsed.ok) throw new Error(`${channel} accepted ${JSON.stringify(payload)}`);
  if (parsed.result.ok) throw new Error('a refusal must be an error result');
  expect(parsed.result.error.code).toBe('invalid-request');
  return parsed.result.error.message;
}

function accepted<C extends IpcChannel>(channel: C, payload: unknown) {
  const parsed = parseIpcRequest(channel, payload);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.result));
  return parsed.request;
}

describe('the channel map', () => {
  it('gives every channel its own preload method name', () => {
    const methods = IPC_CHANNELS.map((c) => ipcContract[c].method);
    expect(new Set(methods).size).toBe(IPC_CHANNELS.length);
    expect(IPC_CHANNELS).toEqual(
      expect.arrayContaining([
        'app:info',
        'print:pdf',
        'file:save-pdf',
        'file:save',
        'shell:open-external',
        'keychain:get',
        'keychain:set',
        'keychain:delete',
        'backup:choose-folder',
        'backup:write-scheduled',
      ]),
    );
  });

  it('describes results as ok with a value or an error with words', () => {
    const schema = ipcResultSchema(ipcContract['shell:open-external'].response);
    expect(schema.safeParse(ipcOk({ opened: true })).success).toBe(true);
    expect(schema.safeParse(ipcError('open-failed', 'No browser opened it')).success).toBe(true);
    expect(
      schema.safeParse({ ok: false, error: { code: 'open-failed', message: '' } }).success,
    ).toBe(false);
    expect(schema.safeParse({ ok: true }).success).toBe(false);
  });
});

describe('print and save requests', () => {
  it('refuses bytes that are not a PDF, with a reason', () => {
    expect(refusal('print:pdf', { bytes: utf8('<html>'), title: 'Consent' })).toMatch(/not a PDF/);
    expect(refusal('print:pdf', { bytes: new Uint8Array(), title: 'Consent' })).toMatch(/empty/);
    expect(refusal('print:pdf', { bytes: 'JVBERi0=', title: 'Consent' })).toMatch(/missing/);
    expect(refusal('print:pdf', { bytes: pdf, title: '  ' })).toMatch(/title/);
    expect(refusal('print:pdf', undefined)).toMatch(/no details/);
  });

  it('makes a suggested file name safe and gives it the right extension', () => {
    const saved = accepted('file:save-pdf', { bytes: pdf, suggestedName: '../Consent: Doe/Jane' });
    expect(saved.suggestedName).toBe('-Consent- Doe-Jane.pdf');
    expect(
      accepted('file:save-pdf', { bytes: pdf, suggestedName: 'Packet.PDF' }).suggestedName,
    ).toBe('Packet.PDF');
    const backup = accepted('file:save', {
      bytes: utf8('{}'),
      suggestedName: 'Clinic export',
      fileType: { label: 'KAT Chart export', extension: 'json', mimeType: 'application/json' },
    });
    expect(backup.suggestedName).toBe('Clinic export.json');
  });

  it('refuses a file type that is not one', () => {
    const request = { bytes: utf8('x'), suggestedName: 'x' };
    const fileType = { label: 'Export', extension: '.json', mimeType: 'application/json' };
    expect(refusal('file:save', { ...request, fileType })).toMatch(/without a dot/);
  });
});

describe('external links', () => {
  const url = (u: string) => accepted('shell:open-external', { url: u }).url;

  it('opens only http and https, judged on the parsed URL', () => {
    expect(url('https://www.fda.gov/drugs')).toBe('https://www.fda.gov/drugs');
    expect(url('HTTPS://Example.ORG/a b')).toBe('https://example.org/a%20b');
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.org/',
      'kat://app/index.html',
      'not a link',
    ]) {
      expect(refusal('shell:open-external', { url: bad })).toMatch(/web links/);
    }
  });

  it('refuses a user name or password used to disguise the real host', () => {
    expect(refusal('shell:open-external', { url: 'https://good.example@evil.example/' })).toMatch(
      /user name or password/,
    );
    expect(refusal('shell:open-external', { url: 'https://a:b@evil.example' })).toMatch(
      /user name or password/,
    );
    // An @ after the host is part of the path or query, not a disguise.
    expect(url('https://good.example/people/@clinic?q=a@b')).toBe(
      'https://good.example/people/@clinic?q=a@b',
    );
  });
});

describe('keychain and backup names', () => {
  it('keeps keychain names to safe file names', () => {
    expect(accepted('keychain:get', { name: 'device-key.v1' }).name).toBe('device-key.v1');
    for (const bad of ['../secret', 'Device', '', '.hidden', 'a/b', 'x'.repeat(64)]) {
      expect(refusal('keychain:get', { name: bad })).toMatch(/lowercase/);
    }
  });

  it('refuses a backup file name that could leave the chosen folder', () => {
    const bytes = utf8('backup');
    expect(
      accepted('backup:write-scheduled', { bytes, fileName: 'kat-2026-11-21.katbackup' }),
    ).toBeTruthy();
    expect(refusal('backup:write-scheduled', { bytes, fileName: '../kat.katbackup' })).toMatch(
      /letters, digits/,
    );
    expect(refusal('backup:write-scheduled', { bytes, fileName: 'a..b' })).toMatch(/"\.\."/);
    expect(refusal('backup:write-scheduled', { bytes, fileName: 'C:\\kat' })).toMatch(/letters/);
    expect(refusal('backup:write-scheduled', { bytes, fileName: 'NUL.txt' })).toMatch(/reserved/);
  });

  it('takes no details where none are needed', () => {
    expect(accepted('app:info', undefined)).toBeUndefined();
    expect(refusal('backup:choose-folder', { folder: '/etc' })).toMatch(/no details/);
  });
});
