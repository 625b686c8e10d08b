import { pino } from 'pino';
import { ConfigError, loadConfig, systemClock } from '@opencar/core';
import { DatabaseInUseError, openStorage } from '@opencar/storage';
import { buildApp } from './build-app.js';
import { createPlatform } from './platform.js';
import { loadOrCreateSecretKey, provision } from './provision.js';
import { banner } from './banner.js';
import { logSelfTest } from './self-test.js';

/** Composition root: config → storage → platform services → app → listen. */
async function main(): Promise<void> {
  const started = performance.now();
  let config = loadConfigOrExit(process.env);
  const log = pino({ level: config.logLevel });
  const secretKey = config.secretKey ?? loadOrCreateSecretKey(config.dataDir, log);
  config = loadConfigOrExit({ ...process.env, OPENCAR_SECRET_KEY: secretKey });

  const storage = await openStorageOrExit(config.databaseUrl);
  const platform = await createPlatform({ config, secretKey, storage, clock: systemClock, log });
  const app = await buildApp(platform);
  if (platform.tesla) await logSelfTest(log, await platform.tesla.selfTest(config.publicUrl));
  const credentials = await provision(config, storage, systemClock, secretKey, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining in-flight requests');
    const force = setTimeout(() => { log.error('shutdown grace period elapsed; exiting'); process.exit(1); }, config.shutdownGraceSeconds * 1000);
    force.unref();
    await app.close();
    await platform.close();
    await storage.close();
    log.info('stopped cleanly');
    process.exit(0);
  };
  // Handlers first: a signal that arrives right after the banner must still drain, not kill.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(banner(config, credentials, performance.now() - started));
}

/** One server process per SQLite file: a second one stops here, naming the file. */
async function openStorageOrExit(databaseUrl: string) {
  try {
    return await openStorage(databaseUrl, { lock: true });
  } catch (err) {
    if (err instanceof DatabaseInUseError) {
      process.stderr.write(`opencar: failed to start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

function loadConfigOrExit(env: Record<string, string | undefined>) {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`opencar: invalid configuration: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`opencar: failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
