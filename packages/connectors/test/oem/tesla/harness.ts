import { ManualClock, type TeslaConfig } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, type Engine } from '@opencar/storage/testing';
import { TeslaBackend } from '../../../src/index.js';
import { startTeslaEmulator, type TeslaEmulator } from './emulator/server.js';
import type { EmuUser, EmuVehicle } from './emulator/state.js';

export const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
export const REDIRECT = 'https://opencar.test/connect/oem/tesla/callback';
export const VIN = '5YJ3E7EB4KF000001';
export const SECRET = 'test-secret-key-0123456789';
export const ALL_PERMISSIONS = [
  'read_vehicle_info', 'read_vin', 'read_location', 'read_odometer', 'read_battery', 'read_charge', 'read_tires', 'read_security',
  'control_charge', 'control_security', 'control_navigation',
];

export interface TeslaHarness {
  clock: ManualClock;
  emu: TeslaEmulator;
  storage: Storage;
  backend: TeslaBackend;
  owner: EmuUser;
  car: EmuVehicle;
  /** The owner's Tesla login for `appId` (the browser step done over HTTP); returns the sign-in result. */
  connect(appId?: string, o?: { permissions?: string[]; email?: string; password?: string }): ReturnType<TeslaBackend['completeSignIn']>;
  /** Connects and returns the connector and a context for the first vehicle. */
  connected(appId?: string): Promise<{ vehicleId: string; ctx: { vehicleId: string; unitSystem: 'metric'; appId: string } }>;
  close(): Promise<void>;
}

/** The browser part of Tesla's login, done with plain HTTP: open the authorize URL, post the form, read the redirect. */
export async function teslaLogin(authorizeUrl: string, email: string, password: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`authorize page ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
  form.set('identity', email);
  form.set('credential', password);
  const res = await fetch(new URL('/oauth2/v3/authorize', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`login answered ${res.status}`);
  return new URL(location);
}

export async function teslaHarness(opts: { engine?: Engine; config?: Partial<TeslaConfig>; signingRequired?: boolean; paired?: boolean } = {}): Promise<TeslaHarness> {
  const clock = new ManualClock(T0);
  const ref: { backend?: TeslaBackend } = {};
  // Tesla fetches the key from https://<domain>/.well-known/…: here, from the backend that serves it.
  const emu = await startTeslaEmulator({ now: () => clock.now(), fetchPublicKey: async (domain) => (domain === 'opencar.test' ? ref.backend?.keys.publicPem() : undefined) });
  const { storage, dispose } = await openTestStorage(opts.engine ?? { name: 'sqlite', url: 'sqlite::memory:' });
  const config = emu.config(opts.config);
  emu.state.addClient({ id: config.clientId, secret: config.clientSecret ?? null, redirectUris: [REDIRECT] });
  const backend = new TeslaBackend({ config, storage, clock, secretKey: SECRET, redirectUri: REDIRECT, sleep: async () => undefined });
  ref.backend = backend;
  const { publicPem } = await backend.keys.generate();
  emu.proxy.setKey((await backend.keys.privatePem())!);
  const { keyHex } = await import('./emulator/state.js');
  for (const r of ['na', 'eu'] as const) emu.state.register(config.clientId, r, config.domain, keyHex(publicPem));
  const owner = emu.state.addUser({ email: 'owner@example.com', password: 'tesla-pw', region: 'na' });
  const car = emu.state.addVehicle(owner, { vin: VIN, signingRequired: opts.signingRequired ?? true });
  if (opts.paired ?? true) emu.state.pair(VIN, publicPem);

  const connect: TeslaHarness['connect'] = async (appId = 'app-1', o = {}) => {
    const { url, verifier } = backend.beginSignIn({ permissions: o.permissions ?? ALL_PERMISSIONS, state: 'st-1' });
    const back = await teslaLogin(url, o.email ?? owner.email, o.password ?? owner.password);
    return backend.completeSignIn({ appId, code: back.searchParams.get('code')!, verifier });
  };
  return {
    clock, emu, storage, backend, owner, car, connect,
    async connected(appId = 'app-1') {
      const r = await connect(appId);
      if (!r.ok) throw new Error(`sign-in failed: ${JSON.stringify(r)}`);
      const vehicleId = r.vehicles[0]!.vehicleId;
      return { vehicleId, ctx: { vehicleId, unitSystem: 'metric' as const, appId } };
    },
    async close() {
      await backend.close();
      await emu.close();
      await dispose();
    },
  };
}
