import { MAX_ODOMETER_KM } from '../sim/control.js';

/** JSON schemas shared by the simulator routes. */
export const TAGS = ['Simulator'];
export const SECURITY = [{ basicClient: [] }];
export const VEHICLE_PARAMS = { type: 'object', required: ['vehicleId'], properties: { vehicleId: { type: 'string' } } } as const;
const CLOSURES = ['doorFL', 'doorFR', 'doorBL', 'doorBR', 'winFL', 'winFR', 'winBL', 'winBR', 'sunroof', 'front', 'rear', 'chargePort'];
export const STATE_BODY = {
  type: 'object', additionalProperties: false,
  properties: {
    pluggedIn: { type: 'boolean', description: 'Plugging in starts charging unless `charging: false` comes with it.' },
    charging: { type: 'boolean', description: 'Charging on or off while plugged in (`pluggedIn: true, charging: false`: plugged in, not charging).' },
    chargerType: { type: 'string', enum: ['AC', 'DC'], description: 'AC: up to the on-board charger (default its power); DC: above it (default 150 kW; not on plug-in hybrids).' },
    outsideTempC: { type: ['number', 'null'], minimum: -40, maximum: 55, description: 'Outside temperature in °C; null returns to the climate model (latitude, season, hour).' },
    soc: { type: 'number', minimum: 0, maximum: 1 }, fuel: { type: 'number', minimum: 0, maximum: 1 },
    chargeLimit: { type: 'number', minimum: 0.5, maximum: 1 }, chargeKw: { type: 'number', exclusiveMinimum: 0, maximum: 350, description: 'Charger power in kW.' },
    location: { type: 'object', required: ['latitude', 'longitude'], properties: { latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 } } },
    locked: { type: 'boolean' },
    open: { type: 'object', additionalProperties: false, properties: Object.fromEntries(CLOSURES.map((c) => [c, { type: 'boolean' }])) },
    asleep: { type: 'boolean' }, remoteAccess: { type: 'boolean' }, offline: { type: 'boolean' }, inService: { type: 'boolean' },
    virtualKeyPaired: { type: 'boolean' }, lowVoltageBattery: { type: 'number', minimum: 0, maximum: 1 }, oilLife: { type: 'number', minimum: 0, maximum: 1 },
    odometerKm: { type: 'number', minimum: 0, maximum: MAX_ODOMETER_KM }, latency: { type: 'string', enum: ['', 'zero', 'realistic'], description: 'Latency profile of this vehicle; empty: the app\'s, else the platform\'s.' },
  },
} as const;
export const CLOCK_BODY = {
  type: 'object', required: ['action'], additionalProperties: false,
  properties: {
    action: { type: 'string', enum: ['pause', 'resume', 'speed', 'advance', 'reset'], description: '`reset`: back to platform time at normal speed.' }, factor: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
    hours: { type: 'number', minimum: 0, maximum: 366 * 24 }, minutes: { type: 'number', minimum: 0, maximum: 366 * 1440 }, seconds: { type: 'number', minimum: 0, maximum: 366 * 86400 },
  },
} as const;
export const POINT = { type: 'object', required: ['latitude', 'longitude'], additionalProperties: false, properties: { latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 } } } as const;
