/** Server configuration from the environment and command line, parsed once with zod. */
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  CLINIC_DATA_DIR: z.string().min(1).default('./clinic-data'),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('kat'),
  SETUP_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0'),
  /** Extra origins allowed to call the API from a browser, comma-separated. */
  CORS_ORIGINS: z.string().default(''),
});

export type ServerConfig = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databaseSchema: string;
  setupToken?: string;
  logLevel: string;
  trustProxy: boolean;
  corsOrigins: string[];
  /** `--restored`: the operator restored the data from a backup; start a new epoch. */
  restored: boolean;
};

export function readConfig(env: NodeJS.ProcessEnv, argv: string[]): ServerConfig {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`The server settings are not usable (${fields}). Fix them and start again.`);
  }
  const e = parsed.data;
  const unknown = argv.filter((a) => a !== '--restored');
  if (unknown.length > 0)
    throw new Error(`Unknown option ${unknown.join(' ')}. The only option is --restored.`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.CLINIC_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    setupToken: e.SETUP_TOKEN,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    restored: argv.includes('--restored'),
  };
}
