import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, deleteSecret, getSecret, setSecret } from './keychain';
import { fakeKeychain } from './test-fakes';

describe('keychain', () => {
  it('keeps a secret encrypted by the OS and gives it back', async () => {
    const deps = fakeKeychain('gnome_libsecret');
    const set = await setSecret(deps, { name: 'device-key', secret: 'k3y-m4terial' });
    expect(set).toEqual({ ok: true, value: { backend: 'gnome_libsecret', warning: null } });
    const stored = new TextDecoder().decode(deps.files.get('device-key'));
    expect(stored).not.toContain('k3y-m4terial');

    const got = await getSecret(deps, { name: 'device-key' });
    expect(got).toEqual({
      ok: true,
      value: { secret: 'k3y-m4terial', backend: 'gnome_libsecret', warning: null },
    });
    expect(deps.warn).not.toHaveBeenCalled();
  });

  it('answers null for a secret never kept', async () => {
    const got = await getSecret(fakeKeychain(), { name: 'sync-token' });
    expect(got).toMatchObject({ ok: true, value: { secret: null } });
  });

  it('warns, in the result and in the log, when Linux falls back to basic_text', async () => {
    const deps = fakeKeychain('basic_text');
    const set = await setSecret(deps, { name: 'device-key', secret: 's' });
    expect(set).toEqual({
      ok: true,
      value: { backend: 'basic_text', warning: BASIC_TEXT_WARNING },
    });
    expect(BASIC_TEXT_WARNING).toMatch(/keyring.*anyone who can copy your user files/);
    expect(deps.warn).toHaveBeenCalledWith(expect.stringContaining('basic_text'));
  });

  it('re-encrypts a secret when the OS has rotated its key', async () => {
    const deps = fakeKeychain();
    await setSecret(deps, { name: 'device-key', secret: 'abc' });
    deps.decrypt.mockResolvedValueOnce({ result: 'abc', shouldReEncrypt: true });
    deps.store.write.mockClear();
    await getSecret(deps, { name: 'device-key' });
    expect(deps.store.write).toHaveBeenCalledTimes(1);
  });

  it('says the keychain is unavailable instead of storing anything', async () => {
    const deps = fakeKeychain();
    deps.isAvailable.mockResolvedValue(false);
    const set = await setSecret(deps, { name: 'device-key', secret: 's' });
    expect(set).toMatchObject({ ok: false, error: { code: 'keychain-unavailable' } });
    if (!set.ok) expect(set.error.message).toMatch(/passphrase/);
    expect(deps.store.write).not.toHaveBeenCalled();
  });

  it('tells the person to sign in when a kept secret can no longer be read', async () => {
    const deps = fakeKeychain();
    deps.files.set('device-key', new TextEncoder().encode('garbage'));
    const got = await getSecret(deps, { name: 'device-key' });
    expect(got).toMatchObject({ ok: false, error: { code: 'keychain-unreadable' } });
    if (!got.ok) expect(got.error.message).toMatch(/Sign in with your passphrase/);
  });

  it('refuses a name that could escape the keychain folder, touching nothing', async () => {
    const deps = fakeKeychain();
    const set = await setSecret(deps, { name: '../../.bashrc', secret: 'x' });
    expect(set).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(deps.encrypt).not.toHaveBeenCalled();
    expect(deps.store.write).not.toHaveBeenCalled();
    const removed = await deleteSecret(deps, { name: '../x' });
    expect(removed.ok).toBe(false);
    expect(deps.store.remove).not.toHaveBeenCalled();
  });

  it('deletes a kept secret and says whether there was one', async () => {
    const deps = fakeKeychain();
    await setSecret(deps, { name: 'device-key', secret: 's' });
    expect(await deleteSecret(deps, { name: 'device-key' })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    expect(await deleteSecret(deps, { name: 'device-key' })).toEqual({
      ok: true,
      value: { deleted: false },
    });
  });
});
