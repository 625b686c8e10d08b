import type { OemVehicleRow } from '@opencar/storage';
import type { Ctx, Reading } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import { oemReading } from '../freshness.js';
import type { OemSession } from '../tokens.js';
import type { TeslaReading } from './readings.js';
import { sessionOf, storedSnapshot, vehicleOf, type TeslaServices } from './services.js';
import { covers, mergeSnapshots, type Endpoint, type Snapshot } from './vehicle-data.js';
import { isAsleep, mayWake, wake } from './wake.js';
import { chargeObservationOf } from './charge-observation.js';

/**
 * A read: one `vehicle_data` call for just the sections the value needs. A sleeping car (408) is
 * woken only when the app allows it and the wake budget has room; otherwise the last data Tesla
 * returned is served with its own (older) capture time, or VEHICLE_STATE:ASLEEP when there is none.
 * Concurrent reads of the same sections of a vehicle share one call. A fresh charge_state is also
 * kept as a charge observation (the dashboard's charge curve).
 */
async function fetchSections(s: TeslaServices, session: OemSession, v: OemVehicleRow, endpoints: readonly Endpoint[], ctx: Ctx): Promise<Snapshot> {
  const key = `${v.id}|${session.appId}|${endpoints.join(';')}`;
  let p = s.reads.get(key);
  if (!p) {
    p = (async () => {
      const { snapshot } = await s.fleet.vehicleData(session, v.vin, endpoints, ctx);
      const current = await s.repo.vehicle(v.id);
      const merged = mergeSnapshots(current ? storedSnapshot(current) : storedSnapshot(v), snapshot);
      await s.repo.saveSnapshot(v.id, JSON.stringify(merged), s.clock.now());
      const seen = chargeObservationOf(v.id, snapshot, s.clock.now());
      // The curve is a by-product: a failure to keep it never fails the app's read.
      if (seen) await s.charges.record(seen).catch((err: unknown) => s.log?.warn({ err, vehicleId: v.id }, 'charge observation not kept'));
      return snapshot;
    })().finally(() => s.reads.delete(key));
    s.reads.set(key, p);
  }
  return p;
}

function answer<T>(r: TeslaReading<T>, snap: Snapshot, retrievedAt: number, source: Reading<T>['source'], woke: boolean): Reading<T> {
  const x = r.extract(snap);
  return oemReading(x.value, { capturedAt: x.capturedAt, retrievedAt: source === 'live' ? retrievedAt : x.fetchedAt ?? retrievedAt, source, woke });
}

/** A read of one value; `reading` may depend on the vehicle and the session (e.g. the nickname, the granted scopes). */
export async function readTesla<T>(s: TeslaServices, ctx: Ctx, reading: TeslaReading<T> | ((v: OemVehicleRow, session: OemSession) => TeslaReading<T>)): Promise<Reading<T>> {
  const v = await vehicleOf(s, ctx);
  const session = await sessionOf(s, v, ctx);
  const r = typeof reading === 'function' ? reading(v, session) : reading;
  if (r.endpoints.includes('location_data') && session.scopes.length > 0 && !session.scopes.includes('vehicle_location')) {
    throw new VehicleError({ kind: 'account', code: 'PERMISSION' }, 'Tesla token lacks vehicle_location',
      { description: 'The owner did not allow location access at Tesla (vehicle_location): they must connect the vehicle again and allow it.' });
  }
  try {
    return answer(r, await fetchSections(s, session, v, r.endpoints, ctx), s.clock.now(), 'live', false);
  } catch (err) {
    if (!isAsleep(err)) throw err;
    const may = await mayWake(s, v.vin, ctx);
    if (may.ok) {
      await wake(s, session, v.vin, ctx);
      return answer(r, await fetchSections(s, session, v, r.endpoints, ctx), s.clock.now(), 'live', true);
    }
    const cached = storedSnapshot((await s.repo.vehicle(v.id)) ?? v);
    if (covers(cached, r.endpoints)) return answer(r, cached, s.clock.now(), 'platform-cache', false);
    throw new VehicleError({ kind: 'asleep' }, 'asleep, not woken', { description: may.why });
  }
}
