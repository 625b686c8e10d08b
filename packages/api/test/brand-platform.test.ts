import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { BRAND_ENDPOINTS } from '../src/index.js';
import { testApp } from '../../../apps/server/test/helpers.js';
import { provision } from '../../../apps/server/src/provision.js';

/**
 * Brand-specific GET endpoints on the real platform: each answers exactly its documented keys, or a
 * vehicle catalogue error (state, compatibility — never SERVER) when the simulated vehicle cannot.
 */
type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
const tokens = new Map<string, { token: string; vehicleId: string }>();
const MAKES: Record<string, string> = { tesla: 'TESLA', chevrolet: 'CHEVROLET', cadillac: 'CADILLAC', ford: 'FORD', lincoln: 'LINCOLN', nissan: 'NISSAN', bmw: 'BMW', mini: 'MINI', audi: 'AUDI' };
const ALL = [...new Set(BRAND_ENDPOINTS.flatMap((b) => (b.permission ? [b.permission] : [])))];

beforeAll(async () => {
  t = await testApp({
    OPENCAR_SEED_CLIENT_ID: 'app-brand', OPENCAR_SEED_CLIENT_SECRET: 'brand-secret-0123456789',
    OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb', OPENCAR_SEED_AMT: 'brand-amt-0123456789',
  });
  await provision(t.platform.config, t.platform.storage, t.clock, t.platform.secretKey, t.platform.log);
  for (const [make, upper] of Object.entries(MAKES)) {
    const r = await t.platform.backend.signIn({ make: upper, email: `${make}-owner@example.com`, password: 'x', mode: 'simulated', country: 'US' });
    if (!r.ok) continue; // brand not in the catalogue (yet)
    const vehicleId = r.vehicles[0]!.vehicleId;
    const { access_token } = await connectForTest(t.platform.storage, t.clock, { appId: 'app-brand', userId: r.accountId, vehicleIds: [vehicleId], permissions: ALL, mode: 'simulated' });
    tokens.set(make, { token: access_token, vehicleId });
  }
});
afterAll(async () => t?.close());

describe('brand-specific endpoints on the simulator', () => {
  for (const e of BRAND_ENDPOINTS.filter((b) => b.method === 'GET')) {
    for (const make of e.makes) {
      it(`GET /${make}/${e.path}`, async (ctx) => {
        const who = tokens.get(make);
        if (!who) ctx.skip(`no ${make} in the simulator catalogue`);
        const res = await t.app.inject({ url: `/v2.0/vehicles/${who!.vehicleId}/${make}/${e.path}`, headers: { authorization: `Bearer ${who!.token}` } });
        const body = res.json();
        if (res.statusCode === 200) expect(Object.keys(body).sort()).toEqual([...e.keys].sort());
        else expect(body.type, res.body).not.toBe('SERVER');
      });
    }
  }
});
