import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { SimulatorRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '../../storage/src/testing.js';
import { SimulatorBackend, StorageEngine, setState, type SignInInput } from '../src/index.js';
import { stableUuid } from '../src/sim/hash.js';
import { accountKey } from '../src/sim/accounts.js';
import { T0 } from './helpers.js';

/** Simulated and test accounts belong to the app whose Connect created them. */
for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`simulated and test accounts are scoped to their app [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let backend: SimulatorBackend;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const clock = new ManualClock(T0);
      backend = new SimulatorBackend({ engine: new StorageEngine(storage, clock), clock, defaultLatency: 'zero' });
    });
    afterAll(async () => dispose?.());

    const signIn = async (input: Partial<SignInInput> & { email: string }) => {
      const r = await backend.signIn({ make: 'TESLA', password: 'pw', mode: 'simulated', country: 'US', ...input });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r;
    };

    for (const mode of ['simulated', 'test'] as const) {
      it(`${mode}: the same e-mail in two apps is two accounts with two vehicles; one app's changes never show in the other's`, async () => {
        const email = `shared-${mode}@example.com`;
        const a = await signIn({ email, mode, appId: 'app-a', password: 'owner-secret' });
        const b = await signIn({ email, mode, appId: 'app-b', password: 'a guess' });
        expect(a.accountId).not.toBe(b.accountId);
        const va = a.vehicles[0]!.vehicleId;
        const vb = b.vehicles[0]!.vehicleId;
        expect(va).not.toBe(vb);
        await setState(backend.sim, va, { soc: 0.11 });
        const read = async (id: string) => (await (await backend.connector(id))!.battery!({ vehicleId: id, unitSystem: 'metric' })).value.percentRemaining;
        expect(await read(va)).toBe(0.11);
        expect(await read(vb)).not.toBe(0.11);
        // Signing in again in either app reaches that app's account only.
        expect((await signIn({ email, mode, appId: 'app-b', password: 'another guess' })).accountId).toBe(b.accountId);
        expect((await signIn({ email, mode, appId: 'app-a', password: 'anything' })).accountId).toBe(a.accountId);
        const rows = await SimulatorRepo.accountsByLogin(storage.db, 'TESLA', email, mode);
        expect(rows.map((r) => r.app_id).sort()).toEqual(['app-a', 'app-b']);
      });
    }

    it('the owner portal signs in to the account whose password matches, in whichever app', async () => {
      const email = 'portal@example.com';
      const a = await signIn({ email, appId: 'app-a', password: 'first' });
      const b = await signIn({ email, appId: 'app-b', password: 'second' });
      const portal = (password: string) => backend.signIn({ make: 'TESLA', email, password, mode: 'simulated', country: 'US', createIfMissing: false, requirePassword: true });
      expect(await portal('first')).toMatchObject({ ok: true, accountId: a.accountId });
      expect(await portal('second')).toMatchObject({ ok: true, accountId: b.accountId });
      expect(await portal('third')).toEqual({ ok: false, reason: 'bad_credentials' });
    });

    it('a simulated account stored before accounts were scoped keeps serving the app it was given, and only that app', async () => {
      const email = 'legacy@example.com';
      // As stored before: keyed without an app, then given the app of its earliest grant by the migration.
      const legacy = await signIn({ email });
      await storage.db.updateTable('sim_accounts').set({ app_id: 'app-a' }).where('id', '=', legacy.accountId).execute();
      expect(legacy.accountId).toBe(stableUuid(accountKey('TESLA', email, 'simulated')));
      expect((await signIn({ email, appId: 'app-a' })).accountId).toBe(legacy.accountId);
      const other = await signIn({ email, appId: 'app-b' });
      expect(other.accountId).not.toBe(legacy.accountId);
      expect(other.vehicles[0]!.vehicleId).not.toBe(legacy.vehicles[0]!.vehicleId);
    });
  });
}
