/**
 * `npm run server`: the clinic sync server on 127.0.0.1:8787 (PORT, HOST), storing in
 * ./clinic-data (CLINIC_DATA_DIR) or in PostgreSQL when DATABASE_URL is set. Options: --check
 * (validate the settings and exit), --new-setup-token (make a new one-use token and exit),
 * --restored (after a restore from backup), --mark-restored (the same, then exit, for the
 * backup script and services). See server/README.md.
 */
import { resolve } from 'node:path';
import { LOG_REDACT, buildApp } from './app';
import { checkSettings } from './check';
import { type ServerConfig, readConfig } from './config';
import { liveSetupToken, writeSetupTokenFile } from './setup-token';
import { EmbeddedStore } from './store/embedded';
import { PostgresStore } from './store/postgres';
import type { ServerIdentity, Store } from './store/store';

function openStore(config: ServerConfig, log: (m: string) => void): Promise<Store> {
  return config.databaseUrl
    ? PostgresStore.open({
        connectionString: config.databaseUrl,
        schema: config.databaseSchema,
        restored: config.restored,
        log,
      })
    : EmbeddedStore.open({ dir: resolve(config.dataDir), restored: config.restored, log });
}

/** Where the operator finds the setup token; the token itself only on a terminal (setup-token.ts). */
function setupTokenNotice(identity: ServerIdentity, config: ServerConfig): string {
  const live = liveSetupToken(identity, config.setupToken);
  const file = resolve(config.setupTokenFile);
  if (!live)
    return (
      `The setup token was used on ${identity.setupSpentAt} (one clinic per token). To register ` +
      'another clinic, stop the server and run it once with --new-setup-token.'
    );
  return process.stdout.isTTY
    ? `Clinic setup token (needed once, to register a new clinic): ${live}\n(also in ${file})`
    : `Clinic setup token (needed once, to register a new clinic) is in ${file}`;
}

async function main() {
  const config = readConfig(process.env, process.argv.slice(2));
  const log = (message: string) => console.warn(message);
  if (config.check) {
    const { ok, lines } = await checkSettings(config);
    console.info(lines.join('\n'));
    process.exit(ok ? 0 : 1);
  }
  const store = await openStore(config, log);
  if (config.markRestored) {
    const { epoch } = await store.identity();
    await store.close();
    console.info(
      `Marked as restored: new server epoch ${epoch}. Devices will re-offer what they hold.`,
    );
    return;
  }
  if (config.newSetupToken) {
    await store.renewSetupToken();
    const identity = await store.identity();
    await writeSetupTokenFile(config.setupTokenFile, identity);
    await store.close();
    console.info(`A new one-use setup token was made. ${setupTokenNotice(identity, config)}`);
    return;
  }
  const app = buildApp({
    store,
    setupToken: config.setupToken,
    setupTokenFile: config.setupTokenFile,
    metricsToken: config.metricsToken,
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
  await writeSetupTokenFile(config.setupTokenFile, identity, config.setupToken);
  // To the operator's console, not into the structured log stream.
  console.info(
    `KAT Chart sync server ready (${store.kind} store, epoch ${identity.epoch}).\n` +
      setupTokenNotice(identity, config),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
