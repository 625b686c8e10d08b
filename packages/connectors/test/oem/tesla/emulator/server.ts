import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { TESLA_DISCOVERY_QUOTA, type TeslaConfig } from '@opencar/core';
import { authRoutes } from './auth.js';
import { fleetRoutes } from './fleet.js';
import { proxyRoutes, type ProxyControl } from './proxy.js';
import { EmulatorState, type Region } from './state.js';

/**
 * The Tesla Fleet API emulator: Tesla's auth server, two regional Fleet APIs (na, eu) and the
 * Vehicle Command proxy, each on its own 127.0.0.1 port, sharing one state. Faults (dropped
 * connections, slow answers, any status and body) can be injected per server and path.
 */
const certDir = fileURLToPath(new URL('./certs/', import.meta.url));
export const PROXY_CA_FILE = `${certDir}ca.pem`;

export interface TeslaEmulator {
  state: EmulatorState;
  urls: { auth: string; na: string; eu: string; proxy: string };
  proxy: ProxyControl;
  /** A connector configuration pointing every Tesla host at the emulator. */
  config(over?: Partial<TeslaConfig>): TeslaConfig;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  now: () => number;
  /** How Tesla fetches a domain's public key at partner registration (default: none found). */
  fetchPublicKey?: (domain: string) => Promise<string | undefined>;
}

export async function startTeslaEmulator(opts: EmulatorOptions): Promise<TeslaEmulator> {
  const state = new EmulatorState(opts.now);
  const timers = new Set<{ t: ReturnType<typeof setTimeout>; done: () => void }>();
  const apps: FastifyInstance[] = [];

  async function server(name: 'auth' | Region | 'proxy', https?: { key: Buffer; cert: Buffer }): Promise<FastifyInstance> {
    const app = (https ? Fastify({ https, forceCloseConnections: true }) : Fastify({ forceCloseConnections: true })) as unknown as FastifyInstance;
    await app.register(formbody);
    app.addHook('onRequest', async (req, reply) => {
      const path = req.url.split('?')[0]!;
      const f = state.takeFault(name, req.method, path);
      if (!f) return;
      if (f.delayMs) {
        await new Promise<void>((resolve) => {
          const entry = { t: setTimeout(() => { timers.delete(entry); resolve(); }, f.delayMs), done: resolve };
          timers.add(entry);
        });
      }
      if (f.drop) {
        state.calls.push({ server: name, method: req.method, path, status: 0 });
        req.raw.socket.destroy();
        reply.hijack();
        return;
      }
      if (f.status !== undefined) {
        await reply.code(f.status).headers({ 'content-type': 'application/json', ...f.headers }).send(f.body ?? '');
        return reply;
      }
    });
    app.addHook('onResponse', async (req, reply) => {
      state.calls.push({ server: name, method: req.method, path: req.url.split('?')[0]!, status: reply.statusCode, query: decodeURIComponent(req.url.split('?')[1] ?? '') });
    });
    apps.push(app);
    return app;
  }

  const auth = await server('auth');
  authRoutes(auth, state);
  const regions = { na: await server('na'), eu: await server('eu') };
  const fetchPublicKey = opts.fetchPublicKey ?? (async () => undefined);
  fleetRoutes(regions.na, state, 'na', { fetchPublicKey });
  fleetRoutes(regions.eu, state, 'eu', { fetchPublicKey });
  const proxyApp = await server('proxy', { key: readFileSync(`${certDir}proxy-key.pem`), cert: readFileSync(`${certDir}proxy.pem`) });
  const proxy = proxyRoutes(proxyApp, state, regions);

  const listen = async (app: FastifyInstance, scheme: string) => `${scheme}://127.0.0.1:${new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port}`;
  const urls = { auth: await listen(auth, 'http'), na: await listen(regions.na, 'http'), eu: await listen(regions.eu, 'http'), proxy: await listen(proxyApp, 'https') };
  state.bases = { na: urls.na, eu: urls.eu };

  return {
    state, urls, proxy,
    config: (over = {}) => ({
      clientId: 'emulated-client', clientSecret: 'emulated-secret',
      authorizeUrl: `${urls.auth}/oauth2/v3/authorize`, tokenUrl: `${urls.auth}/oauth2/v3/token`,
      fleetUrls: { na: urls.na, eu: urls.eu, cn: urls.na }, defaultRegion: 'na', domain: 'opencar.test',
      commandProxy: { url: urls.proxy, caFile: PROXY_CA_FILE }, commands: true, quota: { ...TESLA_DISCOVERY_QUOTA },
      requestTimeoutMs: 5_000, wakePollMs: 0, wakeAttempts: 10, ...over,
    }),
    async close() {
      for (const e of timers) { clearTimeout(e.t); e.done(); }
      await Promise.all(apps.map((a) => a.close()));
    },
  };
}
