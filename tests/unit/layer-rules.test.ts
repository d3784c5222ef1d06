import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of STYLE.md §1 live in eslint.config.js; this proves they fire (and don't
// misfire on our own folder names, such as shared/crypto versus Node's `crypto`).
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['shared/model/x.ts', "import { db } from '../../renderer/app/app-state';"],
    ['shared/model/x.ts', "import { readFile } from 'node:fs';"],
    ['shared/model/x.ts', "import { randomBytes } from 'crypto';"],
    ['shared/model/x.ts', "import Dexie from 'dexie';"],
    ['renderer/app/x.ts', "import { app } from 'electron';"],
    ['renderer/app/x.ts', "import { buildApp } from '../../server/app';"],
    ['electron/main/x.ts', "import { App } from '../../renderer/app/App';"],
    ['server/x.ts', "import { db } from '../renderer/app/app-state';"],
  ])('refuses %s importing: %s', async (file, code) => {
    expect(await restricted(file, `${code}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['shared/rules/x.ts', "import { contentHash } from '../crypto/hash';"],
    ['renderer/app/x.ts', "import { AnyRecord } from '../../shared/model';"],
    ['server/x.ts', "import { AnyRecord } from '../shared/model';"],
  ])('allows %s importing: %s', async (file, code) => {
    expect(await restricted(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
