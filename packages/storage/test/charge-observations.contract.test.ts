import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChargeObservationsRepo, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: charge observations [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); });
    afterAll(async () => dispose?.());

    it('keeps one observation per capture time, oldest first, per vehicle', async () => {
      const repo = new ChargeObservationsRepo(storage.db);
      await repo.record({ vehicleId: 'a', at: 2000, soc: 0.51, powerKw: 11.5, charging: true, pluggedIn: true });
      await repo.record({ vehicleId: 'a', at: 1000, soc: 0.5, powerKw: null, charging: false, pluggedIn: true });
      await repo.record({ vehicleId: 'a', at: 2000, soc: 0.99, powerKw: 1, charging: false, pluggedIn: false });
      await repo.record({ vehicleId: 'b', at: 1500, soc: 0.2, powerKw: 50, charging: true, pluggedIn: true });
      expect(await repo.ofVehicle('a')).toEqual([
        { vehicleId: 'a', at: 1000, soc: 0.5, powerKw: null, charging: false, pluggedIn: true },
        { vehicleId: 'a', at: 2000, soc: 0.51, powerKw: 11.5, charging: true, pluggedIn: true },
      ]);
      expect((await repo.ofVehicle('b')).map((o) => o.at)).toEqual([1500]);
    });

    it('drops the oldest observations of a vehicle beyond its bound', async () => {
      const repo = new ChargeObservationsRepo(storage.db, 3);
      for (let i = 1; i <= 5; i++) await repo.record({ vehicleId: 'c', at: i * 100, soc: i / 10, powerKw: 7, charging: true, pluggedIn: true });
      expect((await repo.ofVehicle('c')).map((o) => o.at)).toEqual([300, 400, 500]);
      expect((await repo.ofVehicle('b')).map((o) => o.at)).toEqual([1500]);
    });
  });
  if (!engine.url) {
    it.skip(`storage contract charge observations on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
  }
}
