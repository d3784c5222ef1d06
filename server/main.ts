/**
 * `npm run server`: the clinic sync server on 127.0.0.1:8787 (PORT, HOST), storing in
 * ./clinic-data (CLINIC_DATA_DIR) or in PostgreSQL when DATABASE_URL is set. See server/README.md.
 */
import { resolve } from 'node:path';
import { LOG_REDACT, buildApp } from './app';
import { readConfig } from './config';
import { EmbeddedStore } from './store/embedded';
import { PostgresStore } from './store/postgres';
import type { Store } from './store/store';

async function main() {
  const config = readConfig(process.env, process.argv.slice(2));
  const log = (message: string) => console.warn(message);
  const store: Store = config.databaseUrl
    ? await PostgresStore.open({
        connectionString: config.databaseUrl,
        schema: config.databaseSchema,
        restored: config.restored,
        log,
      })
    : await EmbeddedStore.open({ dir: resolve(config.dataDir), restored: config.restored, log });
  const app = buildApp({
    store,
    setupToken: config.setupToken,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    logger: { level: config.logLevel, redact: LOG_REDACT },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await app
    .listen({ port: config.port, host: config.host })
    .catch(async (e: NodeJS.ErrnoException) => {
      await store.close();
      if (e.code === 'EADDRINUSE')
        throw new Error(
          `Port ${config.port} on ${config.host} is already in use. Stop the other program or set PORT.`,
        );
      throw e;
    });
  const identity = await store.identity();
  // The setup token goes to the operator's console, not into the structured log stream.
  console.info(
    `KAT Chart sync server ready (${store.kind} store, epoch ${identity.epoch}).\n` +
      `Clinic setup token (needed once, to register a new clinic): ${config.setupToken ?? identity.setupToken}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
