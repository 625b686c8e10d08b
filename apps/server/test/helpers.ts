import { pino } from 'pino';
import { ManualClock, loadConfig } from '@opencar/core';
import { openStorage } from '@opencar/storage';
import { buildApp } from '../src/build-app.js';
import { createPlatform, type Platform } from '../src/platform.js';

/** A full app on in-memory SQLite with a manual clock; no sockets. */
export async function testApp(env: Record<string, string> = {}) {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: 'test-secret-key-0123456789', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://opencar.test', ...env });
  const storage = await openStorage(config.databaseUrl);
  const clock = new ManualClock(Date.UTC(2026, 10, 1));
  const platform: Platform = await createPlatform({ config, secretKey: config.secretKey!, storage, clock, log: pino({ level: 'silent' }) });
  const app = await buildApp(platform);
  return { app, platform, clock, close: async () => { await app.close(); await platform.close(); await storage.close(); } };
}
