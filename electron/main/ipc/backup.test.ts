import { describe, expect, it } from 'vitest';
import { chooseBackupFolder, currentBackupFolder, writeScheduledBackup } from './backup';
import { fakeBackup } from './test-fakes';

const bytes = new TextEncoder().encode('encrypted backup bundle');

describe('backup folder', () => {
  it('remembers the folder the person chose and shows it', async () => {
    const deps = fakeBackup(null);
    const chosen = await chooseBackupFolder(deps, undefined);
    expect(chosen).toEqual({
      ok: true,
      value: { outcome: 'chosen', folder: '/media/usb/new-folder' },
    });
    expect(await currentBackupFolder(deps, undefined)).toEqual({
      ok: true,
      value: { folder: '/media/usb/new-folder' },
    });
  });

  it('keeps the old folder when the dialog is cancelled', async () => {
    const deps = fakeBackup('/media/usb/kat-backups');
    deps.askForFolder.mockResolvedValue(null);
    expect(await chooseBackupFolder(deps, undefined)).toEqual({
      ok: true,
      value: { outcome: 'cancelled' },
    });
    expect(deps.rememberFolder).not.toHaveBeenCalled();
  });

  it('refuses a folder it cannot write into', async () => {
    const deps = fakeBackup(null);
    deps.folderIsWritable.mockResolvedValue(false);
    const chosen = await chooseBackupFolder(deps, undefined);
    expect(chosen).toMatchObject({ ok: false, error: { code: 'backup-folder-unreachable' } });
    expect(deps.rememberFolder).not.toHaveBeenCalled();
  });
});

describe('backup:write-scheduled', () => {
  it('writes the backup into the chosen folder under its plain name', async () => {
    const deps = fakeBackup('/media/usb/kat-backups');
    const result = await writeScheduledBackup(deps, {
      bytes,
      fileName: 'kat-2026-11-21.katbackup',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        folder: '/media/usb/kat-backups',
        fileName: 'kat-2026-11-21.katbackup',
        bytesWritten: bytes.byteLength,
        pruned: [],
      },
    });
    expect(deps.writeFileAtomically).toHaveBeenCalledWith(
      '/media/usb/kat-backups/kat-2026-11-21.katbackup',
      bytes,
    );
  });

  it('asks for a folder first when none is chosen', async () => {
    const deps = fakeBackup(null);
    const result = await writeScheduledBackup(deps, { bytes, fileName: 'kat.katbackup' });
    expect(result).toMatchObject({ ok: false, error: { code: 'backup-folder-not-set' } });
    if (!result.ok) expect(result.error.message).toMatch(/Choose one in Settings/);
    expect(deps.writeFileAtomically).not.toHaveBeenCalled();
  });

  it('says the drive is missing when the folder cannot be reached', async () => {
    const deps = fakeBackup('/media/usb/kat-backups');
    deps.folderIsWritable.mockResolvedValue(false);
    const result = await writeScheduledBackup(deps, { bytes, fileName: 'kat.katbackup' });
    expect(result).toMatchObject({ ok: false, error: { code: 'backup-folder-unreachable' } });
    if (!result.ok) expect(result.error.message).toMatch(/drive is connected/);
    expect(deps.writeFileAtomically).not.toHaveBeenCalled();
  });

  it('reports a failed write in words', async () => {
    const deps = fakeBackup('/media/usb/kat-backups');
    deps.writeFileAtomically.mockRejectedValue(new Error('ENOSPC'));
    const result = await writeScheduledBackup(deps, { bytes, fileName: 'kat.katbackup' });
    expect(result).toMatchObject({ ok: false, error: { code: 'write-failed' } });
    if (!result.ok) expect(result.error.message).toMatch(/disk may be full/);
  });

  it.each(['../../etc/cron.d/kat', '/tmp/kat', 'sub/kat.katbackup', ''])(
    'refuses the file name %j without writing anything',
    async (fileName) => {
      const deps = fakeBackup('/media/usb/kat-backups');
      const result = await writeScheduledBackup(deps, { bytes, fileName });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      expect(deps.readChosenFolder).not.toHaveBeenCalled();
      expect(deps.writeFileAtomically).not.toHaveBeenCalled();
    },
  );
});
