import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig, systemClock, type Clock } from '@opencar/core';
import { openStorage } from '@opencar/storage';
import { buildApp, createPlatform, provision, type Platform } from '@opencar/server';

export const TEST_CLIENT = {
  clientId: '6a0a0cbe-5b1c-4b8e-9f57-1f2d3c4b5a69',
  clientSecret: 'test-client-secret-0123456789abcdef',
  amt: 'c2b0f7f4-6c77-4a55-9b6e-0d5c2f1e9a10',
  redirectUri: 'https://app.example/callback',
};

export interface LiveServer {
  url: string;
  platform: Platform;
  close(): Promise<void>;
}

/**
 * Starts the whole platform on 127.0.0.1 (random port) with a seeded app (TEST_CLIENT), the way
 * `npm start` does, for end-to-end tests with the official SDK or a browser.
 */
export async function startServer(opts: { env?: Record<string, string>; clock?: Clock; databaseUrl?: string } = {}): Promise<LiveServer> {
  const env = {
    DATABASE_URL: opts.databaseUrl ?? 'sqlite::memory:',
    OPENCAR_SECRET_KEY: 'e2e-secret-key-0123456789',
    LOG_LEVEL: 'silent',
    PORT: '0',
    OPENCAR_SEED_CLIENT_ID: TEST_CLIENT.clientId,
    OPENCAR_SEED_CLIENT_SECRET: TEST_CLIENT.clientSecret,
    OPENCAR_SEED_REDIRECT_URIS: `${TEST_CLIENT.redirectUri} http://localhost:8000/callback`,
    OPENCAR_SEED_AMT: TEST_CLIENT.amt,
    ...opts.env,
  };
  let config = loadConfig(env);
  const log = pino({ level: config.logLevel });
  const storage = await openStorage(config.databaseUrl);
  const clock = opts.clock ?? systemClock;
  // The public URL is only known once the port is: build with a placeholder, then rebuild config.
  const app0 = (await import('node:http')).createServer();
  await new Promise<void>((r) => app0.listen(0, '127.0.0.1', r));
  const port = (app0.address() as AddressInfo).port;
  await new Promise<void>((r) => app0.close(() => r()));
  config = loadConfig({ ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  const platform = await createPlatform({ config, secretKey: config.secretKey!, storage, clock, log });
  const app = await buildApp(platform);
  await provision(config, storage, clock, config.secretKey!, log);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: config.publicUrl,
    platform,
    close: async () => { await app.close(); await platform.close(); await storage.close(); },
  };
}
