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
  /** The app on whose behalf the call is made (for latency profiles, access logs, the OEM tokens it holds). */
  appId?: string;
  /**
   * Whether a read may wake a sleeping vehicle (request header `sc-allow-wake`). Undefined: the
   * backend's default (a read may wake the car within its wake budget); false: answer from the last
   * known state or VEHICLE_STATE:ASLEEP.
   */
  allowWake?: boolean;
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

/**
 * Readings added for the v3 signal catalogue. Every field is `null` when the vehicle does not report
 * it (the platform then answers the signal as UNAVAILABLE); units are metric like the rest.
 */
export interface ChargeDetails {
  /** Current flowing into the vehicle (A); 0 when not charging. */
  amperage: number | null;
  /** Most current the vehicle and the connected charger allow (A). */
  amperageMax: number | null;
  /** Current the vehicle asks the charger for (A). */
  amperageRequested: number | null;
  /** Voltage at the inlet (V); 0 when plugged in but idle. */
  voltage: number | null;
  /** Charging power (kW); 0 when not charging. */
  powerKw: number | null;
  /** Energy added by the session in progress, else by the last one (kWh). */
  energyAddedKwh: number | null;
  /** Range added per hour at the current power (km/h). */
  rangeRateKmh: number | null;
  /** Vehicle-clock time (epoch ms) the ongoing charge reaches the limit; null when not charging. */
  completesAt: number | null;
  /** Phases supplied by the connected AC charger; null when unplugged or on DC. */
  phases: number | null;
  /** Charging inlet of the vehicle: 'J1772', 'CCS1', 'CCS2', 'TYPE2', 'NACS', 'CHADEMO', 'GBT'. */
  connectorType: string | null;
  fastChargerPresent: boolean | null;
  /** DC standard of the connected fast charger ('CCS', 'NACS', 'CHADEMO'); null without one. */
  fastChargerType: string | null;
  cableLatched: boolean | null;
  portOpen: boolean | null;
  /** Colour of the charge-port light: 'GREEN', 'BLUE', 'ORANGE', 'WHITE', 'OFF'. */
  portColor: string | null;
}

export interface TractionBatteryDetails {
  heaterOn: boolean | null;
  /** How many times the pack has been charged to 100 %. */
  maxRangeChargeCount: number | null;
  /** Range at ideal conditions and the rated (homologated) range (km). */
  rangeIdeal: number | null;
  rangeRated: number | null;
}

export interface ClimateStatus {
  /** Cabin air temperature (°C). */
  cabinC: number | null;
  /** Outside air temperature (°C). */
  outsideC: number | null;
  hvacOn: boolean | null;
  /** Cabin set point (°C). */
  targetC: number | null;
  frontDefroster: boolean | null;
  rearDefroster: boolean | null;
  steeringWheelHeater: boolean | null;
}

export interface LowVoltageBattery {
  /** 12 V battery charge 0–1. */
  stateOfCharge: number | null;
  status: 'GOOD' | 'WARN' | 'BAD' | null;
}

export type Gear = 'PARK' | 'DRIVE' | 'REVERSE' | 'NEUTRAL';
export interface Motion {
  /** km/h; 0 when parked. */
  speed: number;
  /** Degrees clockwise from north. */
  heading: number | null;
  gear: Gear | null;
  driveMode: { canonical: string; oemDisplayName: string } | null;
}

/** What the OEM cloud knows without reaching the vehicle (never wakes it). */
export interface Connectivity {
  online: boolean;
  asleep: boolean | null;
  digitalKeyPaired: boolean | null;
  firmwareVersion: string | null;
  inService: boolean | null;
}

export interface VehicleDetails {
  trim: string | null;
  exteriorColor: string | null;
  nickname: string | null;
  packages: string[] | null;
  wheelStyle: string | null;
}

export interface Surveillance { brand: string; enabled: boolean }

/** The connecting OEM account's access to the vehicle as the OEM defines it. */
export interface AccountAccess { role: string; permissions: string[] }

export interface ChargeLocation { name: string | null; address: string | null; latitude: number | null; longitude: number | null }
export interface ChargeRecord {
  id: string;
  /** Epoch ms. */
  startTime: number;
  endTime: number | null;
  energyAddedKwh: number | null;
  /** 0–1. */
  startStateOfCharge: number | null;
  endStateOfCharge: number | null;
  location: ChargeLocation | null;
  connectorType: string | null;
  isPublicCharger: boolean | null;
  cost: { currency: string; energyAmount: number | null; otherAmount: number | null } | null;
}

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
/** A charge timer the vehicle itself holds (set in the OEM app or a brand endpoint). */
export interface ChargeTimer {
  type: 'GLOBAL' | 'LOCATION' | 'CONNECTOR';
  condition: (ChargeLocation & { connectorType?: string | null }) | null;
  /** Windows in local time, `HH:MM:SS`; `end` is null for a start-only timer. */
  schedules: { days: Weekday[]; start: string; end: string | null }[];
  departureTimers: { days: Weekday[]; time: string }[];
  oemOptimization: boolean | null;
}

/** Capability names: v2 endpoints (`GET /odometer` → 'read:odometer') and brand extras ('tesla:GET charge/ammeter'). */
export type Capability =
  | 'attributes' | 'vin' | 'location' | 'odometer' | 'fuel' | 'battery' | 'battery_capacity' | 'nominal_capacity'
  | 'charge' | 'charge_limit' | 'set_charge_limit' | 'charge_control' | 'tires' | 'engine_oil' | 'lock_status'
  | 'lock_control' | 'navigation' | 'service_history' | 'diagnostics' | 'wake'
  | 'charge_details' | 'battery_details' | 'charge_port_control' | 'charge_records' | 'charge_timers' | 'climate'
  | 'low_voltage_battery' | 'motion' | 'connectivity' | 'vehicle_details' | 'surveillance' | 'account_access'
  | 'home_location'
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
  // Readings and commands of the v3 catalogue (capability in brackets).
  /** [charge_details] */
  chargeDetails?(ctx: Ctx): Promise<Reading<ChargeDetails>>;
  /** [battery_details] */
  batteryDetails?(ctx: Ctx): Promise<Reading<TractionBatteryDetails>>;
  /** [charge_port_control] Opens or closes the charge-port door. */
  chargePortControl?(ctx: Ctx, action: 'OPEN' | 'CLOSE'): Promise<CommandResult>;
  /** [charge_records] Finished charging sessions, newest last, within the window (epoch ms; default the last 30 days). */
  chargeRecords?(ctx: Ctx, range: { start?: number; end?: number }): Promise<Reading<ChargeRecord[]>>;
  /** [charge_timers] */
  chargeTimers?(ctx: Ctx): Promise<Reading<ChargeTimer[]>>;
  /** [climate] */
  climate?(ctx: Ctx): Promise<Reading<ClimateStatus>>;
  /** [low_voltage_battery] */
  lowVoltageBattery?(ctx: Ctx): Promise<Reading<LowVoltageBattery>>;
  /** [motion] */
  motion?(ctx: Ctx): Promise<Reading<Motion>>;
  /** [connectivity] Answered by the OEM cloud: never wakes the vehicle and answers while it is unreachable. */
  connectivity?(ctx: Ctx): Promise<Reading<Connectivity>>;
  /** [vehicle_details] */
  vehicleDetails?(ctx: Ctx): Promise<Reading<VehicleDetails>>;
  /** [surveillance] */
  surveillance?(ctx: Ctx): Promise<Reading<Surveillance>>;
  /** [account_access] */
  accountAccess?(ctx: Ctx): Promise<Reading<AccountAccess>>;
  /** [home_location] Whether the vehicle is at the home location set in the OEM account. */
  homeLocation?(ctx: Ctx): Promise<Reading<{ atHome: boolean }>>;
  /** Brand-specific endpoints (wire-contract §5.8); body in metric units. */
  brandRequest?(ctx: Ctx, make: string, req: BrandRequest): Promise<Reading<unknown>>;
}
