/** The server's version, from package.json: in /v1/health, so an operator sees what runs. */
import { readFileSync } from 'node:fs';

export const SERVER_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
