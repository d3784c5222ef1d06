import { describe, expect, it } from 'vitest';
import { normalizeServerUrl } from './server-client';
import { unreachableWords } from './server-address';

describe('the server address a person types', () => {
  it('means https for another computer and http only on the server’s own', () => {
    expect(normalizeServerUrl('kat-server.lan')).toBe('https://kat-server.lan');
    expect(normalizeServerUrl(' https://kat-server.lan:8443/ ')).toBe(
      'https://kat-server.lan:8443',
    );
    expect(normalizeServerUrl('192.168.1.20')).toBe('https://192.168.1.20');
    expect(normalizeServerUrl('127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(normalizeServerUrl('localhost:8787')).toBe('http://localhost:8787');
    expect(normalizeServerUrl('https://localhost:8443')).toBe('https://localhost:8443');
  });

  it('refuses plain http to another computer, other schemes and non-addresses, in words', () => {
    expect(() => normalizeServerUrl('http://192.168.1.20:8787')).toThrow(/over https:\/\/ only/);
    expect(() => normalizeServerUrl('ftp://kat-server.lan')).toThrow(/must start with https/);
    expect(() => normalizeServerUrl('kat server')).toThrow(/not a web address/);
  });

  it('names the certificate when an https server cannot be reached', () => {
    expect(unreachableWords('https://kat-server.lan')).toMatch(
      /does not trust its security certificate.*certificate has changed: do not work around it/s,
    );
    expect(unreachableWords('http://127.0.0.1:8787')).not.toMatch(/certificate/);
  });
});
