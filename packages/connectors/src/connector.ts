/**
 * The connector interface: one implementation per vehicle backend (the simulator is the default).
 * Only identity and capabilities are required; every other method exists only when the backend
 * supports it, and is declared in `capabilities` so the platform knows without calling it.
 * Shapes match the v2.0 bodies (wire-contract §5) in METRIC units; the API layer converts units.
 */
export type UnitSystem = 'metric' | 'imperial';
export type Powertrain = 'BEV' | 'PHEV' | 'HEV' | 'ICE';
export type Region = 'US' | 'CA' | 'EUROPE';

export interface Ctx {
  vehicleId: string;
  unitSystem: UnitSystem;
  signal?: AbortSignal;
  /** Epoch ms by which the call must settle (UPSTREAM:NO_RESPONSE after). */
  deadline?: number;
  /** The app on whose behalf the call is made (for latency profiles, access logs). */
  appId?: string;
}

/** A value with its freshness: which layer answered and when the vehicle captured it. */
export interface Reading<T> {
  value: T;
  /** When the vehicle recorded the value (sc-data-age). */
  capturedAt: number;
  /** When the OEM cloud last refreshed it. */
  oemUpdatedAt: number;
  /** When the platform got it from the OEM (sc-fetched-at). */
  retrievedAt: number;
  source: 'live' | 'oem-cache' | 'platform-cache' | 'estimated';
  /** True when serving this read woke the vehicle (metering, access log). */
  woke?: boolean;
}

export interface CommandResult {
  /** Virtual time at which the vehicle confirmed the command. */
  completedAt: number;
  woke?: boolean;
}

export interface Identity { vin: string; make: string; model: string; year: number }
export interface LockItem { type: string; status: 'OPEN' | 'CLOSED' | 'UNKNOWN' }
export interface LockStatus {
  isLocked: boolean; doors: LockItem[]; windows: LockItem[]; sunroof: LockItem[]; storage: LockItem[]; chargingPort: LockItem[];
}
export interface TirePressure { frontLeft: number; frontRight: number; backLeft: number; backRight: number }
export interface ServiceRecord {
  serviceId: string | number | null; serviceDate: string; odometerDistance: number;
  serviceTasks: { taskId: string | null; taskDescription: string | null }[];
  serviceDetails: { type: string; value: string | null }[];
  serviceCost: { totalCost: number | null; currency: string | null };
}
export interface SystemStatus { systems: { systemId: string; status: 'OK' | 'ALERT'; description: string | null }[] }
export interface Dtcs { activeCodes: { code: string; timestamp: string | null }[] }
export interface NominalCapacity {
  availableCapacities: { capacity: number | null; description: string | null }[];
  capacity: { nominal: number; source: 'USER_SELECTED' | 'SMARTCAR' } | null;
  url: string | null;
}
export type ChargeState = 'CHARGING' | 'FULLY_CHARGED' | 'NOT_CHARGING';

/** Capability names: v2 endpoints (`GET /odometer` → 'read:odometer') and brand extras ('tesla:GET charge/ammeter'). */
export type Capability =
  | 'attributes' | 'vin' | 'location' | 'odometer' | 'fuel' | 'battery' | 'battery_capacity' | 'nominal_capacity'
  | 'charge' | 'charge_limit' | 'set_charge_limit' | 'charge_control' | 'tires' | 'engine_oil' | 'lock_status'
  | 'lock_control' | 'navigation' | 'service_history' | 'diagnostics' | 'wake'
  | `brand:${string}`;

export interface BrandRequest {
  method: string;
  /** Path after `/{make}/`, e.g. `charge/ammeter`, without query. */
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface VehicleConnector {
  readonly name: string;
  identity(ctx: Ctx): Promise<Identity>;
  capabilities(ctx: Ctx): Promise<ReadonlySet<Capability>>;
  location?(ctx: Ctx): Promise<Reading<{ latitude: number; longitude: number }>>;
  odometer?(ctx: Ctx): Promise<Reading<{ distance: number }>>;
  fuel?(ctx: Ctx): Promise<Reading<{ range: number | null; percentRemaining: number | null; amountRemaining: number | null }>>;
  battery?(ctx: Ctx): Promise<Reading<{ range: number; percentRemaining: number }>>;
  batteryCapacity?(ctx: Ctx): Promise<Reading<{ capacity: number }>>;
  nominalCapacity?(ctx: Ctx): Promise<Reading<NominalCapacity>>;
  chargeStatus?(ctx: Ctx): Promise<Reading<{ isPluggedIn: boolean; state: ChargeState }>>;
  chargeLimit?(ctx: Ctx): Promise<Reading<{ limit: number }>>;
  setChargeLimit?(ctx: Ctx, limit: number): Promise<CommandResult>;
  chargeControl?(ctx: Ctx, action: 'START' | 'STOP'): Promise<CommandResult>;
  tirePressure?(ctx: Ctx): Promise<Reading<TirePressure>>;
  engineOil?(ctx: Ctx): Promise<Reading<{ lifeRemaining: number }>>;
  lockStatus?(ctx: Ctx): Promise<Reading<LockStatus>>;
  lockControl?(ctx: Ctx, action: 'LOCK' | 'UNLOCK'): Promise<CommandResult>;
  sendDestination?(ctx: Ctx, latitude: number, longitude: number): Promise<CommandResult>;
  serviceHistory?(ctx: Ctx, range: { start?: string; end?: string }): Promise<Reading<ServiceRecord[]>>;
  systemStatus?(ctx: Ctx): Promise<Reading<SystemStatus>>;
  dtcs?(ctx: Ctx): Promise<Reading<Dtcs>>;
  wakeUp?(ctx: Ctx): Promise<CommandResult>;
  /** Brand-specific endpoints (wire-contract §5.8); body in metric units. */
  brandRequest?(ctx: Ctx, make: string, req: BrandRequest): Promise<Reading<unknown>>;
}
