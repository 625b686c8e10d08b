import type { TeslaBackend } from '@opencar/connectors';
import { startServer, type LiveServer } from '../src/index.js';
import { startTeslaEmulator, type TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';

/**
 * opencar with its Tesla connector pointed at the Tesla emulator, set up as an operator would: the
 * redirect URI registered at (emulated) Tesla, the key pair generated, the proxy given the exported
 * private key, partner registration in the NA region (Tesla fetching the key opencar serves).
 */
export interface TeslaPlatform {
  emu: TeslaEmulator;
  server: LiveServer;
  tesla: TeslaBackend;
  publicPem: string;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the Tesla variables, e.g. a shorter OPENCAR_TESLA_TIMEOUT_MS. */
export async function startTeslaPlatform(env: Record<string, string> = {}): Promise<TeslaPlatform> {
  let serverUrl = '';
  const emu = await startTeslaEmulator({
    now: () => Date.now(),
    fetchPublicKey: async () => { const r = await fetch(`${serverUrl}/.well-known/appspecific/com.tesla.3p.public-key.pem`); return r.ok ? r.text() : undefined; },
  });
  const cfg = emu.config();
  const server = await startServer({
    env: {
      OPENCAR_TESLA_CLIENT_ID: cfg.clientId, OPENCAR_TESLA_CLIENT_SECRET: cfg.clientSecret!, OPENCAR_TESLA_AUTHORIZE_URL: cfg.authorizeUrl,
      OPENCAR_TESLA_TOKEN_URL: cfg.tokenUrl, OPENCAR_TESLA_FLEET_URL_NA: emu.urls.na, OPENCAR_TESLA_FLEET_URL_EU: emu.urls.eu,
      OPENCAR_TESLA_FLEET_URL_CN: emu.urls.na, OPENCAR_TESLA_DOMAIN: 'opencar.test', OPENCAR_TESLA_PROXY_URL: emu.urls.proxy,
      OPENCAR_TESLA_PROXY_CA_FILE: cfg.commandProxy!.caFile!, OPENCAR_TESLA_WAKE_POLL_MS: '0',
      ...env,
    },
  });
  serverUrl = server.url;
  emu.state.addClient({ id: cfg.clientId, secret: cfg.clientSecret!, redirectUris: [`${server.url}/connect/oem/tesla/callback`] });
  const tesla = server.platform.tesla!;
  const { publicPem } = await tesla.keys.generate();
  emu.proxy.setKey((await tesla.keys.privatePem())!);
  const reg = await tesla.registerPartner('na');
  if (!reg.keyMatches) throw new Error('the emulated Tesla did not get the served public key');
  return { emu, server, tesla, publicPem, close: async () => { await server.close(); await emu.close(); } };
}
