import type { VehicleRoute } from './route-spec.js';
import { attributes } from './routes/vehicles/attributes.js';
import { vin } from './routes/vehicles/vin.js';
import { location } from './routes/vehicles/location.js';
import { odometer } from './routes/vehicles/odometer.js';
import { fuel } from './routes/vehicles/fuel.js';
import { battery } from './routes/vehicles/battery.js';
import { batteryCapacity } from './routes/vehicles/battery-capacity.js';
import { nominalCapacity } from './routes/vehicles/nominal-capacity.js';
import { chargeStatus } from './routes/vehicles/charge-status.js';
import { chargeControl } from './routes/vehicles/charge-control.js';
import { chargeLimit } from './routes/vehicles/charge-limit.js';
import { setChargeLimit } from './routes/vehicles/set-charge-limit.js';
import { tirePressure } from './routes/vehicles/tire-pressure.js';
import { engineOil } from './routes/vehicles/engine-oil.js';
import { lockStatus } from './routes/vehicles/lock-status.js';
import { lockControl } from './routes/vehicles/lock-control.js';
import { sendDestination } from './routes/vehicles/send-destination.js';
import { serviceHistory } from './routes/vehicles/service-history.js';
import { systemStatus } from './routes/vehicles/system-status.js';
import { dtcs } from './routes/vehicles/dtcs.js';
import { permissions } from './routes/vehicles/permissions.js';
import { disconnect } from './routes/vehicles/disconnect.js';
import { subscribe } from './routes/webhooks/subscribe.js';

/**
 * The declarative table of every `/v2.0/vehicles/{id}/…` endpoint (wire-contract §5.1 #3–#24, #26)
 * that runs through the shared pipeline. `/vehicles`, `/user` (#1–2), batch (#25), webhook
 * unsubscribe (#27, management token) and brand endpoints (#28) have their own entry points but
 * reuse the same pipeline steps.
 */
export const VEHICLE_ROUTES: readonly VehicleRoute[] = [
  attributes, vin, location, odometer, fuel, battery, batteryCapacity, nominalCapacity, chargeStatus, chargeControl,
  chargeLimit, setChargeLimit, tirePressure, engineOil, lockStatus, lockControl, sendDestination, serviceHistory,
  systemStatus, dtcs, permissions, disconnect, subscribe,
];

/** GET routes a batch item may name. */
export const BATCHABLE_ROUTES: readonly VehicleRoute[] = VEHICLE_ROUTES.filter((r) => r.method === 'GET');
