import { describe, expect, it } from 'vitest';
import { readAppInfo } from './app-info';

describe('app:info', () => {
  it('tells the version and platform, and no file-system paths', async () => {
    const result = await readAppInfo(
      { name: 'KAT Chart', version: '0.1.0', platform: 'linux', computerName: 'front-desk' },
      undefined,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'KAT Chart',
        version: '0.1.0',
        platform: 'linux',
        computerName: 'front-desk',
        features: { backupFolder: true },
      },
    });
    expect(JSON.stringify(result)).not.toMatch(/[/\\]/);
  });
});
