import type { Dtcs, LockItem, LockStatus, ServiceRecord, SystemStatus } from '../connector.js';
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

const DTC_POOL = [
  ['P0420', 'SYSTEM_EMISSIONS'], ['P0171', 'SYSTEM_ENGINE'], ['C0750', 'SYSTEM_TPMS'], ['B1325', 'SYSTEM_ELECTRICAL'],
  ['U0100', 'SYSTEM_NETWORK'], ['P0A80', 'SYSTEM_EV_BATTERY'], ['P302D', 'SYSTEM_ENGINE'], ['C1201', 'SYSTEM_BRAKES'],
] as const;
const SYSTEMS = ['SYSTEM_TPMS', 'SYSTEM_ENGINE', 'SYSTEM_EMISSIONS', 'SYSTEM_BRAKES', 'SYSTEM_ELECTRICAL', 'SYSTEM_NETWORK', 'SYSTEM_EV_BATTERY', 'SYSTEM_AIRBAG'];

/** 0–2 active trouble codes per vehicle (most have none), stable for a vehicle. */
export function dtcs(s: SimState, ev: boolean): Dtcs {
  const n = rand01(s.seed, 0xd7c) < 0.75 ? 0 : rand01(s.seed, 0xd7d) < 0.7 ? 1 : 2;
  const pool = DTC_POOL.filter(([, sys]) => ev || sys !== 'SYSTEM_EV_BATTERY').filter(([, sys]) => !ev || s.make !== 'TESLA' || sys !== 'SYSTEM_EMISSIONS');
  const out: Dtcs['activeCodes'] = [];
  for (let i = 0; i < n; i++) {
    const [code] = pool[Math.floor(rand01(s.seed, 0xd80 + i) * pool.length)]!;
    if (!out.some((c) => c.code === code)) out.push({ code, timestamp: new Date(s.createdAt - Math.floor(rand01(s.seed, 0xd90 + i) * 30) * 86_400_000).toISOString() });
  }
  return { activeCodes: out };
}

export function systemStatus(s: SimState, ev: boolean): SystemStatus {
  const active = new Set(dtcs(s, ev).activeCodes.map((c) => DTC_POOL.find(([code]) => code === c.code)?.[1]));
  return {
    systems: SYSTEMS.filter((sys) => ev || sys !== 'SYSTEM_EV_BATTERY').map((systemId) => ({
      systemId, status: active.has(systemId as never) ? 'ALERT' : 'OK', description: active.has(systemId as never) ? 'Trouble code stored' : null,
    })),
  };
}

/** Per-tyre cold pressure offsets (kPa) from the seed. */
export function tireOffsets(s: SimState): number[] {
  return [0, 1, 2, 3].map((i) => Math.round((rand01(s.seed, 0x71 + i) - 0.5) * 16));
}
