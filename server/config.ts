/** Server configuration from the environment and command line, parsed once with zod. */
import { join } from 'node:path';
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
  /** Where the setup token is written (mode 0600); default: setup-token.txt in CLINIC_DATA_DIR. */
  SETUP_TOKEN_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * 0/false: clients connect directly. 1/true: trust X-Forwarded-For from any proxy. Otherwise
   * the proxies to trust, comma-separated: `loopback` for a proxy on this machine (Caddy in
   * server/deploy), addresses or CIDR ranges.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^[0-9A-Za-z.:/,\s]+$/, 'use 0, 1, loopback, or addresses separated by commas')
    .default('0'),
  /** Bearer token for GET /v1/metrics (Prometheus); metrics are off without it. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN needs at least 16 characters').optional(),
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
  /** fastify's trustProxy: a boolean, or the proxy addresses to trust. */
  trustProxy: boolean | string[];
  setupTokenFile: string;
  metricsToken?: string;
  corsOrigins: string[];
  /** `--restored`: the operator restored the data from a backup; start a new epoch. */
  restored: boolean;
  /** `--check`: validate the settings and the store's reachability, then exit. */
  check: boolean;
  /** `--new-setup-token`: make a new one-use setup token, then exit. */
  newSetupToken: boolean;
  /** `--mark-restored`: what --restored does at start (a new epoch), then exit; for scripts. */
  markRestored: boolean;
};

const OPTIONS = ['--restored', '--check', '--new-setup-token', '--mark-restored'];

function trustProxy(value: string): boolean | string[] {
  if (value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function readConfig(env: NodeJS.ProcessEnv, argv: string[]): ServerConfig {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`The server settings are not usable (${fields}). Fix them and start again.`);
  }
  const e = parsed.data;
  const unknown = argv.filter((a) => !OPTIONS.includes(a));
  if (unknown.length > 0)
    throw new Error(`Unknown option ${unknown.join(' ')}. The options are ${OPTIONS.join(', ')}.`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.CLINIC_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    setupToken: e.SETUP_TOKEN,
    logLevel: e.LOG_LEVEL,
    trustProxy: trustProxy(e.TRUST_PROXY),
    setupTokenFile: e.SETUP_TOKEN_FILE ?? join(e.CLINIC_DATA_DIR, 'setup-token.txt'),
    metricsToken: e.METRICS_TOKEN,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    restored: argv.includes('--restored') || argv.includes('--mark-restored'),
    markRestored: argv.includes('--mark-restored'),
    check: argv.includes('--check'),
    newSetupToken: argv.includes('--new-setup-token'),
  };
}
