/**
 * Scheduled backups against a real temporary folder: the handler writes through the real file
 * helpers, keeps the newest `keep` of the series, and never touches anything else there.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderIsWritable, writeFileAtomically } from '../local-files';
import { type BackupDeps, pruneScheduledBackups, writeScheduledBackup } from './backup';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function folderWith(names: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'kat-backups-'));
  dirs.push(dir);
  for (const n of names) await writeFile(join(dir, n), 'old');
  const deps: BackupDeps = {
    askForFolder: async () => dir,
    readChosenFolder: async () => dir,
    rememberFolder: async () => undefined,
    folderIsWritable,
    writeFileAtomically,
    listFolder: (f) => readdir(f),
    removeFile: (p) => rm(p),
  };
  return { dir, deps };
}

const auto = (stamp: string, series = 'Harbor-Clinic') =>
  `${series}-auto-backup-${stamp}.katbackup`;
const bytes = new TextEncoder().encode('sealed backup');

describe('scheduled backups in the chosen folder', () => {
  it('writes the new file and keeps only the newest of its series', async () => {
    const others = [
      'Harbor-Clinic-backup-2026-01-01-00-00.katbackup', // a manual backup: never pruned
      auto('2026-01-01-00-00', 'Other-Clinic'), // another clinic's series
      'notes.txt',
    ];
    const { dir, deps } = await folderWith([
      auto('2026-11-18-02-00'),
      auto('2026-11-19-02-00'),
      auto('2026-11-20-02-00'),
      auto('2026-11-21-02-00'),
      ...others,
    ]);
    const result = await writeScheduledBackup(deps, {
      bytes,
      fileName: auto('2026-11-22-02-00'),
      keep: 3,
    });
    expect(result).toMatchObject({ ok: true, value: { bytesWritten: bytes.byteLength } });
    if (result.ok)
      expect(result.value.pruned.sort()).toEqual([
        auto('2026-11-18-02-00'),
        auto('2026-11-19-02-00'),
      ]);
    expect((await readdir(dir)).sort()).toEqual(
      [
        auto('2026-11-20-02-00'),
        auto('2026-11-21-02-00'),
        auto('2026-11-22-02-00'),
        ...others,
      ].sort(),
    );
  });

  it('prunes nothing without `keep`, and nothing for a name outside the pattern', async () => {
    const { dir, deps } = await folderWith([auto('2026-11-18-02-00'), auto('2026-11-19-02-00')]);
    await writeScheduledBackup(deps, { bytes, fileName: auto('2026-11-22-02-00') });
    expect(await readdir(dir)).toHaveLength(3);
    expect(await pruneScheduledBackups(deps, dir, 'clinic.katbackup', 1)).toEqual([]);
    expect(await readdir(dir)).toHaveLength(3);
  });

  it('refuses a bad `keep` before writing anything', async () => {
    const { dir, deps } = await folderWith([]);
    for (const keep of [0, -1, 1.5, 10_000, '3'])
      expect(
        await writeScheduledBackup(deps, { bytes, fileName: auto('2026-11-22-02-00'), keep }),
      ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await readdir(dir)).toEqual([]);
  });

  it('a file that cannot be removed stays for next time; the write still succeeds', async () => {
    const { deps, dir } = await folderWith([auto('2026-11-18-02-00'), auto('2026-11-19-02-00')]);
    const stuck: BackupDeps = {
      ...deps,
      removeFile: async () => {
        throw new Error('EBUSY');
      },
    };
    const result = await writeScheduledBackup(stuck, {
      bytes,
      fileName: auto('2026-11-22-02-00'),
      keep: 1,
    });
    expect(result).toMatchObject({ ok: true, value: { pruned: [] } });
    expect(await readdir(dir)).toHaveLength(3);
  });
});
