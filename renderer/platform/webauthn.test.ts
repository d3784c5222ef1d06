/**
 * Where a security key can be used (issue 18 deliverable 5): the relying party ID is the page's
 * host, and only an https page or http on localhost may use WebAuthn. The desktop app's pages are
 * kat://app (electron/main/app-protocol.ts), which Chromium refuses for WebAuthn: the screen must
 * say so in plain words instead of offering a key that cannot work.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relyingPartyFor, securityKeysAvailable } from './webauthn';

const at = (url: string) => {
  const u = new URL(url);
  return relyingPartyFor({ protocol: u.protocol, hostname: u.hostname });
};

/** The desktop app's origin, APP_ORIGIN in electron/main/app-protocol.ts (not importable here). */
const APP_ORIGIN = 'kat://app';

afterEach(() => vi.unstubAllGlobals());

describe('which relying party a security key is tied to', () => {
  it('is the host of an https page, or localhost', () => {
    expect(at('https://kat-server.lakeside.lan/')).toEqual({ rpId: 'kat-server.lakeside.lan' });
    expect(at('http://localhost:4179/')).toEqual({ rpId: 'localhost' });
    expect(at('https://Chart.Example.org:8443/#/patients')).toEqual({ rpId: 'chart.example.org' });
  });

  it('is none in the desktop app (kat://app), and the words say what works instead', () => {
    const place = at(`${APP_ORIGIN}/index.html`);
    expect(place).toHaveProperty('problem');
    expect((place as { problem: string }).problem).toMatch(
      /do not work in the KAT Chart desktop app yet.*authenticator app/,
    );
  });

  it('is none at a numeric address or over plain http to another computer', () => {
    expect((at('http://127.0.0.1:4179/') as { problem: string }).problem).toMatch(/by a name/);
    expect((at('https://[::1]:4179/') as { problem: string }).problem).toMatch(/by a name/);
    expect((at('http://kat-server.lan/') as { problem: string }).problem).toMatch(/https/);
  });

  it('the desktop app’s screen says so, though its Chromium has navigator.credentials', () => {
    vi.stubGlobal('location', new URL(`${APP_ORIGIN}/index.html`));
    vi.stubGlobal('navigator', { credentials: {} });
    vi.stubGlobal('window', { PublicKeyCredential: class {} });
    expect(securityKeysAvailable()).toMatch(/desktop app/);
    vi.stubGlobal('location', new URL('http://localhost:4179/'));
    expect(securityKeysAvailable()).toBeNull();
  });
});
