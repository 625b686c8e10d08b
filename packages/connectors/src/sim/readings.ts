import type { Dtcs, LockItem, LockStatus, Powertrain, ServiceRecord, SystemStatus } from '../connector.js';
import { Prng, rand01 } from './hash.js';
import { OPEN_BITS, type SimState } from './state.js';

/** Derived read-only bodies: lock status, service history, diagnostics. Deterministic from the seed. */
const status = (s: SimState, bit: number): LockItem['status'] => (s.open & bit ? 'OPEN' : 'CLOSED');

export function lockStatus(s: SimState, hasChargePort: boolean): LockStatus {
  const b = OPEN_BITS;
  return {
    isLocked: s.locked === 1,
    doors: [
      { type: 'frontLeft', status: status(s, b.doorFL) }, { type: 'frontRight', status: status(s, b.doorFR) },
      { type: 'backLeft', status: status(s, b.doorBL) }, { type: 'backRight', status: status(s, b.doorBR) },
    ],
    windows: [
      { type: 'frontLeft', status: status(s, b.winFL) }, { type: 'frontRight', status: status(s, b.winFR) },
      { type: 'backLeft', status: status(s, b.winBL) }, { type: 'backRight', status: status(s, b.winBR) },
    ],
    sunroof: [{ type: 'sunroof', status: status(s, b.sunroof) }],
    storage: [{ type: 'front', status: status(s, b.front) }, { type: 'rear', status: status(s, b.rear) }],
    chargingPort: hasChargePort ? [{ type: 'chargingPort', status: status(s, b.chargePort) }] : [],
  };
}

const TASKS = [
  ['OIL', 'Engine oil and filter change'], ['TIRE_ROTATION', 'Tire rotation'], ['BRAKE_FLUID', 'Brake fluid replacement'],
  ['CABIN_FILTER', 'Cabin air filter replacement'], ['INSPECTION', 'Multi-point inspection'], ['WIPERS', 'Wiper blade replacement'],
  ['AC_DESICCANT', 'Air conditioning desiccant bag replacement'], ['BATTERY_12V', '12 V battery test'],
] as const;

/** Service visits roughly yearly / every 15,000 km since first registration, up to `until`. */
export function serviceHistory(s: SimState, ev: boolean, until: number, odoNow: number, currency: string): ServiceRecord[] {
  const rng = new Prng(s.seed ^ 0x5e41ce);
  const firstReg = Date.UTC(s.year - 1, 8 + rng.int(0, 6), rng.int(1, 28));
  const out: ServiceRecord[] = [];
  const spanMs = Math.max(1, until - firstReg);
  let t = firstReg + rng.int(300, 420) * 86_400_000;
  for (let i = 0; t < until && i < 40; i++) {
    const km = Math.round((odoNow * (t - firstReg)) / spanMs);
    const tasks = TASKS.filter(([id]) => !(ev && id === 'OIL')).filter((_, j) => j === 0 || rng.next() < 0.35);
    out.push({
      serviceId: `${s.vin.slice(-6)}-${i + 1}`,
      serviceDate: new Date(t).toISOString(),
      odometerDistance: km,
      serviceTasks: tasks.map(([taskId, taskDescription]) => ({ taskId, taskDescription })),
      serviceDetails: [{ type: 'dealer', value: `Authorised service centre ${1 + rng.int(0, 40)}` }],
      serviceCost: { totalCost: Math.round((120 + rng.next() * 480) * 100) / 100, currency },
    });
    t += rng.int(300, 420) * 86_400_000;
  }
  return out;
}

/** Trouble codes and the system each one raises an alert in (system ids as the diagnostics endpoint names them). */
const DTC_POOL = [
  ['P0420', 'SYSTEM_EMISSIONS'], ['P0171', 'SYSTEM_MIL'], ['C0750', 'SYSTEM_TIRE_PRESSURE_MONITORING'], ['B1325', 'SYSTEM_LIGHTING'],
  ['U0100', 'SYSTEM_TELEMATICS'], ['P0A80', 'SYSTEM_EV_HV_BATTERY'], ['P302D', 'SYSTEM_MIL'], ['C1201', 'SYSTEM_ABS'],
] as const;
const COMMON = ['SYSTEM_ABS', 'SYSTEM_ACTIVE_SAFETY', 'SYSTEM_AIRBAG', 'SYSTEM_BRAKE_FLUID', 'SYSTEM_DRIVER_ASSISTANCE', 'SYSTEM_LIGHTING',
  'SYSTEM_TELEMATICS', 'SYSTEM_TIRE_PRESSURE', 'SYSTEM_TIRE_PRESSURE_MONITORING', 'SYSTEM_WASHER_FLUID'];
const COMBUSTION = ['SYSTEM_EMISSIONS', 'SYSTEM_MIL', 'SYSTEM_OIL_LIFE', 'SYSTEM_OIL_PRESSURE', 'SYSTEM_OIL_TEMPERATURE', 'SYSTEM_TRANSMISSION', 'SYSTEM_WATER_IN_FUEL'];
const ELECTRIC = ['SYSTEM_EV_BATTERY_CONDITIONING', 'SYSTEM_EV_CHARGING', 'SYSTEM_EV_DRIVE_UNIT', 'SYSTEM_EV_HV_BATTERY'];

/** The monitored systems of a powertrain: a BEV has no engine systems, an ICE or hybrid without a plug no high-voltage ones. */
function systemsOf(powertrain: Powertrain): string[] {
  const plug = powertrain === 'BEV' || powertrain === 'PHEV';
  return [...COMMON, ...(plug ? ELECTRIC : []), ...(powertrain === 'BEV' ? [] : COMBUSTION)];
}

/** 0–2 active trouble codes per vehicle (most have none), stable for a vehicle. */
export function dtcs(s: SimState, powertrain: Powertrain): Dtcs {
  const n = rand01(s.seed, 0xd7c) < 0.75 ? 0 : rand01(s.seed, 0xd7d) < 0.7 ? 1 : 2;
  const systems = new Set(systemsOf(powertrain));
  const pool = DTC_POOL.filter(([, sys]) => systems.has(sys));
  const out: Dtcs['activeCodes'] = [];
  for (let i = 0; i < n; i++) {
    const [code] = pool[Math.floor(rand01(s.seed, 0xd80 + i) * pool.length)]!;
    if (!out.some((c) => c.code === code)) out.push({ code, timestamp: new Date(s.createdAt - Math.floor(rand01(s.seed, 0xd90 + i) * 30) * 86_400_000).toISOString() });
  }
  return { activeCodes: out };
}

export function systemStatus(s: SimState, powertrain: Powertrain): SystemStatus {
  const active = new Set(dtcs(s, powertrain).activeCodes.map((c) => DTC_POOL.find(([code]) => code === c.code)?.[1]));
  return {
    systems: systemsOf(powertrain).map((systemId) => ({
      systemId, status: active.has(systemId as never) ? 'ALERT' : 'OK', description: active.has(systemId as never) ? 'Trouble code stored' : null,
    })),
  };
}

/** Per-tyre cold pressure offsets (kPa) from the seed. */
export function tireOffsets(s: SimState): number[] {
  return [0, 1, 2, 3].map((i) => Math.round((rand01(s.seed, 0x71 + i) - 0.5) * 16));
}
