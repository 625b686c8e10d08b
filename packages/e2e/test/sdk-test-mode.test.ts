import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import smartcar, { type Vehicle } from 'smartcar';
import { sha256, uuid } from '@opencar/core';
import { AccountsRepo } from '@opencar/storage';
import { TEST_CLIENT } from '../src/index.js';
import { connectOverHttp, sdkWorld, type SdkWorld } from './sdk-connect.js';

/**
 * What apps built on the official SDK do in their own end-to-end tests: Connect in `mode=test` with
 * a random `<uuid>@email.com` login and `required:` permissions, then every permitted getter and
 * every command. 50 flows across six brands, each must reach the consent page and succeed
 * throughout; a brand/permission pair no model of the brand can satisfy still ends in
 * `vehicle_incompatible`.
 */
const BRANDS = ['CHEVROLET', 'FORD', 'KIA', 'TESLA', 'BMW', 'VOLKSWAGEN'] as const;
const FLOWS = 50;
const PARALLEL = 5;

/** An electric car: battery, charge, security; commands lock, unlock, charge start/stop and limit. */
const ELECTRIC = ['required:read_battery', 'required:read_charge', 'required:control_charge', 'required:read_security', 'required:control_security', 'read_vehicle_info', 'read_vin', 'read_odometer'];
/** A plug-in hybrid: fuel as well (never asked of a Tesla). */
const HYBRID = ['required:read_fuel', ...ELECTRIC];

interface Flow { make: string; scope: string[]; country: 'US' | 'DE' }

function flows(): Flow[] {
  return Array.from({ length: FLOWS }, (_, i) => {
    const make = BRANDS[i % BRANDS.length]!;
    const hybrid = make !== 'TESLA' && Math.floor(i / BRANDS.length) % 2 === 1;
    // Volkswagen sells its plug-in hybrid (Golf GTE) in Europe only.
    return { make, scope: hybrid ? HYBRID : ELECTRIC, country: hybrid && make === 'VOLKSWAGEN' ? 'DE' : 'US' };
  });
}

let w: SdkWorld;
beforeAll(async () => { w = await sdkWorld(); });
afterAll(async () => w?.close());

const client = (mode: 'test' | 'simulated' = 'test', clientId: string = TEST_CLIENT.clientId, clientSecret: string = TEST_CLIENT.clientSecret) =>
  new smartcar.AuthClient({ clientId, clientSecret, redirectUri: TEST_CLIENT.redirectUri, mode });

async function run(flow: Flow): Promise<string[]> {
  const steps: string[] = [];
  const c = client();
  const url = c.getAuthUrl(flow.scope, { forcePrompt: true, flags: { country: flow.country } });
  const email = `${crypto.randomUUID()}@email.com`;
  const code = await connectOverHttp(url, { make: flow.make, email, password: crypto.randomUUID(), redirectUri: TEST_CLIENT.redirectUri, steps });
  const access = await c.exchangeCode(code);
  const { vehicles } = (await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] };
  expect(vehicles).toHaveLength(1);
  const vehicle: Vehicle = new smartcar.Vehicle(vehicles[0]!, access.accessToken, { flags: { country: flow.country } });
  const attributes = await vehicle.attributes();
  expect(attributes.make).toBe(flow.make);
  expect((await vehicle.vin()).vin).toHaveLength(17);
  expect((await vehicle.odometer()).distance).toBeGreaterThan(0);
  const battery = (await vehicle.battery()) as unknown as { percentRemaining: number; range: number };
  expect(battery.percentRemaining).toBeGreaterThan(0);
  expect(battery.percentRemaining).toBeLessThanOrEqual(1);
  expect(battery.range).toBeGreaterThan(0);
  expect(await vehicle.charge()).toMatchObject({ isPluggedIn: true, state: 'NOT_CHARGING' });
  const limit = (await vehicle.getChargeLimit()).limit;
  expect(limit).toBeGreaterThan(battery.percentRemaining);
  if (flow.scope.includes('required:read_fuel')) {
    const fuel = await vehicle.fuel();
    expect(fuel.percentRemaining).toBeGreaterThan(0);
    expect(fuel.range).toBeGreaterThan(0);
  }
  expect(typeof (await vehicle.lockStatus()).isLocked).toBe('boolean');
  const success = { status: 'success', message: expect.any(String) };
  expect(await vehicle.unlock()).toMatchObject(success);
  expect((await vehicle.lockStatus()).isLocked).toBe(false);
  expect(await vehicle.lock()).toMatchObject(success);
  expect((await vehicle.lockStatus()).isLocked).toBe(true);
  expect(await vehicle.startCharge()).toMatchObject(success);
  expect((await vehicle.charge()).state).toBe('CHARGING');
  expect(await vehicle.stopCharge()).toMatchObject(success);
  expect((await vehicle.charge()).state).toBe('NOT_CHARGING');
  expect(await vehicle.setChargeLimit(0.75)).toMatchObject(success);
  expect((await vehicle.getChargeLimit()).limit).toBe(0.75);
  return steps;
}

describe('official SDK in test mode: random <uuid>@email.com logins with required: permissions', () => {
  it(`${FLOWS} Connect flows across ${BRANDS.join(', ')} reach consent, exchange the code, read every permitted getter and run every command`, async () => {
    const all = flows();
    const done: { flow: Flow; steps: string[] }[] = [];
    const failures: string[] = [];
    for (let i = 0; i < all.length; i += PARALLEL) {
      await Promise.all(all.slice(i, i + PARALLEL).map(async (flow) => {
        try { done.push({ flow, steps: await run(flow) }); } catch (e) { failures.push(`${flow.make} ${flow.country} ${flow.scope.join(' ')}: ${(e as Error).message}`); }
      }));
    }
    expect(failures).toEqual([]);
    expect(done).toHaveLength(FLOWS);
    expect(done.every((d) => d.steps.includes('login') && d.steps.at(-1) === 'consent')).toBe(true);
    expect(new Set(done.map((d) => d.flow.make))).toEqual(new Set(BRANDS));
    expect(done.filter((d) => d.flow.scope.includes('required:read_fuel')).length).toBeGreaterThan(10);
  }, 180_000);

  it('a pair no model of the brand satisfies still ends in vehicle_incompatible: fuel on a Tesla, battery on a Buick', async () => {
    for (const [make, scope] of [['TESLA', ['required:read_fuel', 'read_battery']], ['BUICK', ['required:read_battery', 'read_fuel']]] as const) {
      const url = client().getAuthUrl([...scope], { forcePrompt: true });
      const err = await connectOverHttp(url, { make, email: `${crypto.randomUUID()}@email.com`, redirectUri: TEST_CLIENT.redirectUri }).catch((e: unknown) => e as Error);
      expect([make, String((err as Error).message)]).toEqual([make, expect.stringContaining('Connect ended with vehicle_incompatible')]);
    }
  });

  it('the same e-mail in two apps is two cars: one app\'s commands never show in the other app\'s reads; in one app it is the same car', async () => {
    const accounts = new AccountsRepo(w.server.platform.storage.db);
    const seeded = (await accounts.getApp(TEST_CLIENT.clientId))!;
    const otherId = uuid();
    const otherSecret = `secret-${otherId}`;
    await accounts.createApp({
      id: otherId, developerId: seeded.developerId, name: 'Other app', logoUrl: null, clientSecretHash: sha256(otherSecret), amtHash: sha256(`amt-${otherId}`), amtEnc: 'x',
      redirectUris: [TEST_CLIENT.redirectUri], defaultScope: [], mode: 'test', simLatency: null,
    }, w.clock.now());
    const scope = ['required:read_security', 'required:control_security', 'read_vehicle_info'];
    for (const mode of ['test', 'simulated'] as const) {
      const email = `owner-${crypto.randomUUID()}@email.com`;
      const connect = async (c: ReturnType<typeof client>, password: string) => {
        const code = await connectOverHttp(c.getAuthUrl(scope, { forcePrompt: true }), { make: 'TESLA', email, password, redirectUri: TEST_CLIENT.redirectUri });
        const access = await c.exchangeCode(code);
        const { vehicles } = (await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] };
        return new smartcar.Vehicle(vehicles[0]!, access.accessToken);
      };
      const mine = await connect(client(mode), 'the owner\'s password');
      const theirs = await connect(client(mode, otherId, otherSecret), 'a guess');
      expect(theirs.id).not.toBe(mine.id);
      expect((await connect(client(mode), 'anything')).id).toBe(mine.id);
      await mine.unlock();
      expect([mode, (await mine.lockStatus()).isLocked, (await theirs.lockStatus()).isLocked]).toEqual([mode, false, true]);
      // Another app's token never reaches this app's car.
      await expect(new smartcar.Vehicle(mine.id, (theirs as unknown as { token: string }).token).lockStatus()).rejects.toMatchObject({ statusCode: 404 });
    }
  });

  it('re-authentication of a test-mode vehicle signs in to the account that holds it and returns its vehicle_id', async () => {
    const email = `${crypto.randomUUID()}@email.com`;
    const c = client();
    const code = await connectOverHttp(c.getAuthUrl(['required:read_fuel', 'required:read_battery', 'read_vehicle_info'], { forcePrompt: true }), { make: 'CHEVROLET', email, redirectUri: TEST_CLIENT.redirectUri });
    const access = await c.exchangeCode(code);
    const vehicleId = ((await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] }).vehicles[0]!;
    const url = `${w.server.url}/oauth/reauthenticate?${new URLSearchParams({ response_type: 'vehicle_id', client_id: TEST_CLIENT.clientId, vehicle_id: vehicleId })}`;
    expect(await connectOverHttp(url, { make: 'CHEVROLET', email, password: 'another password', redirectUri: TEST_CLIENT.redirectUri, returns: 'vehicle_id' })).toBe(vehicleId);
  });
});
