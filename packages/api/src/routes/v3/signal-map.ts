import type {
  AccountAccess, Capability, ChargeDetails, ChargeRecord, ChargeTimer, ClimateStatus, Connectivity, Dtcs, LockItem, LockStatus,
  LowVoltageBattery, Motion, NominalCapacity, ServiceRecord, Surveillance, SystemStatus, TirePressure, TractionBatteryDetails, VehicleDetails,
} from '@opencar/connectors';

/** A connector reading that one or more v3 signals are views of (`identity` is the VIN). */
export type SourceMethod = 'identity' | 'odometer' | 'location' | 'battery' | 'nominalCapacity' | 'chargeStatus' | 'chargeLimit' | 'fuel'
  | 'lockStatus' | 'tirePressure' | 'engineOil' | 'dtcs' | 'systemStatus' | 'serviceHistory' | 'chargeDetails' | 'batteryDetails'
  | 'chargeRecords' | 'chargeTimers' | 'climate' | 'lowVoltageBattery' | 'motion' | 'connectivity' | 'vehicleDetails' | 'surveillance'
  | 'accountAccess' | 'homeLocation';

/** What a body builder sees beside the reading: the vehicle's capabilities and the time of the reading. */
export interface BodyContext { caps: ReadonlySet<Capability>; capturedAt: number }

/** A signal body, or why there is none: the vehicle does not report the value, or reports a state error. */
export type BodyResult = Record<string, unknown> | undefined | { error: { type: string; code: string } };

export interface SignalDef {
  code: string;
  name: string;
  group: string;
  permission: string;
  capability: Capability;
  source: SourceMethod;
  /** The documented body for this code, from the source reading (metric units, percentages 0–100). */
  body(value: unknown, c: BodyContext): BodyResult;
}

const pct = (n: number | null | undefined) => (typeof n === 'number' ? Math.round(n * 10000) / 100 : null);
const r1 = (n: number) => Math.round(n * 10) / 10;
/** `{value, unit}` when the value is known, else undefined (UNAVAILABLE). */
const val = (value: unknown, unit?: string) => (value === null || value === undefined ? undefined : unit === undefined ? { value } : { value, unit });
const notCharging = { error: { type: 'VEHICLE_STATE', code: 'NOT_CHARGING' } };

const POSITIONS: Record<string, [number, number]> = { frontLeft: [0, 0], frontRight: [0, 1], backLeft: [1, 0], backRight: [1, 1] };
/** Doors, windows and tyres as rows (front to back) and columns (left to right). */
function grid<T>(items: { type: string; item: T }[], cell: (item: T) => Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const values = items.flatMap(({ type, item }) => { const p = POSITIONS[type]; return p ? [{ row: p[0], column: p[1], ...cell(item) }] : []; });
  return { values, rowCount: 2, columnCount: 2, ...extra };
}
const open = (i: LockItem | undefined) => (i ? i.status === 'OPEN' : null);
const storage = (l: LockStatus, type: string) => l.storage.find((s) => s.type === type);
const hasEngine = (c: BodyContext) => c.caps.has('fuel');

type Def = [suffix: string, name: string, source: SourceMethod, capability: Capability, body: SignalDef['body'], permission?: string];
const group = (prefix: string, groupName: string, permission: string, defs: Def[]): SignalDef[] =>
  defs.map(([suffix, name, source, capability, body, perm]) => ({ code: `${prefix}-${suffix}`, name, group: groupName, permission: perm ?? permission, capability, source, body }));

const cd = (f: (d: ChargeDetails) => unknown, unit?: string): Def[4] => (v) => val(f(v as ChargeDetails), unit);
const chargeDefs: Def[] = [
  ['amperage', 'Amperage', 'chargeDetails', 'charge_details', cd((d) => d.amperage, 'A')],
  ['amperagemax', 'AmperageMax', 'chargeDetails', 'charge_details', cd((d) => d.amperageMax, 'A')],
  ['amperagerequested', 'AmperageRequested', 'chargeDetails', 'charge_details', cd((d) => d.amperageRequested, 'A')],
  ['chargelimits', 'ChargeLimits', 'chargeLimit', 'charge_limit', (v) => {
    const limit = pct((v as { limit: number }).limit);
    return { activeLimit: limit, values: [{ type: 'GLOBAL', limit, condition: null }], unit: 'percent' };
  }],
  ['chargeportstatuscolor', 'ChargePortStatusColor', 'chargeDetails', 'charge_details', cd((d) => d.portColor)],
  ['chargerate', 'ChargeRate', 'chargeDetails', 'charge_details', cd((d) => d.rangeRateKmh, 'km/h')],
  ['chargerecords', 'ChargeRecords', 'chargeRecords', 'charge_records', (v) => ({
    values: (v as ChargeRecord[]).map((r) => ({
      id: r.id, startTime: r.startTime, endTime: r.endTime, energyAdded: r.energyAddedKwh === null ? null : { value: r.energyAddedKwh, unit: 'kWh' },
      chargingType: r.connectorType, isPublicCharger: r.isPublicCharger, startStateOfCharge: pct(r.startStateOfCharge), endStateOfCharge: pct(r.endStateOfCharge),
      location: r.location, cost: r.cost,
    })),
  }), 'read_charge_records'],
  ['chargerphases', 'ChargerPhases', 'chargeDetails', 'charge_details', cd((d) => d.phases)],
  ['chargetimers', 'ChargeTimers', 'chargeTimers', 'charge_timers', (v) => ({
    values: (v as (ChargeTimer & { scheduleType?: string; scheduleId?: string })[]).map((t) => ({
      type: t.type, condition: t.condition, schedules: t.schedules, departureTimers: t.departureTimers, isOEMOptimizationEnabled: t.oemOptimization,
      ...(t.scheduleId ? { scheduleType: t.scheduleType, scheduleId: t.scheduleId } : {}),
    })),
  })],
  ['chargingconnectortype', 'ChargingConnectorType', 'chargeDetails', 'charge_details', cd((d) => d.connectorType)],
  ['detailedchargingstatus', 'DetailedChargingStatus', 'chargeStatus', 'charge', (v) => val((v as { state: string }).state)],
  ['energyadded', 'EnergyAdded', 'chargeDetails', 'charge_details', cd((d) => d.energyAddedKwh, 'kWh')],
  ['fastchargertype', 'FastChargerType', 'chargeDetails', 'charge_details', cd((d) => d.fastChargerType)],
  ['ischarging', 'IsCharging', 'chargeStatus', 'charge', (v) => val((v as { state: string }).state === 'CHARGING')],
  ['ischargingcableconnected', 'IsChargingCableConnected', 'chargeStatus', 'charge', (v) => val((v as { isPluggedIn: boolean }).isPluggedIn)],
  ['ischargingcablelatched', 'IsChargingCableLatched', 'chargeDetails', 'charge_details', cd((d) => d.cableLatched)],
  ['ischargingportflapopen', 'IsChargingPortFlapOpen', 'chargeDetails', 'charge_details', cd((d) => d.portOpen)],
  ['isfastchargerpresent', 'IsFastChargerPresent', 'chargeDetails', 'charge_details', cd((d) => d.fastChargerPresent)],
  ['timetocomplete', 'TimeToComplete', 'chargeDetails', 'charge_details', (v, c) => {
    const at = (v as ChargeDetails).completesAt;
    return at === null ? notCharging : { value: Math.max(0, Math.round((at - c.capturedAt) / 60_000)), unit: 'min' };
  }],
  ['voltage', 'Voltage', 'chargeDetails', 'charge_details', cd((d) => d.voltage, 'V')],
  ['wattage', 'Wattage', 'chargeDetails', 'charge_details', cd((d) => (d.powerKw === null ? null : Math.round(d.powerKw * 1000)), 'W')],
];

const cl = (f: (d: ClimateStatus) => unknown, unit?: string): Def[4] => (v) => val(f(v as ClimateStatus), unit);

const diagnosticSystems: [string, string, string][] = [
  ['abs', 'ABS', 'SYSTEM_ABS'], ['activesafety', 'ActiveSafety', 'SYSTEM_ACTIVE_SAFETY'], ['airbag', 'Airbag', 'SYSTEM_AIRBAG'],
  ['brakefluid', 'BrakeFluid', 'SYSTEM_BRAKE_FLUID'], ['driverassistance', 'DriverAssistance', 'SYSTEM_DRIVER_ASSISTANCE'],
  ['emissions', 'Emissions', 'SYSTEM_EMISSIONS'], ['evbatteryconditioning', 'EVBatteryConditioning', 'SYSTEM_EV_BATTERY_CONDITIONING'],
  ['evcharging', 'EVCharging', 'SYSTEM_EV_CHARGING'], ['evdriveunit', 'EVDriveUnit', 'SYSTEM_EV_DRIVE_UNIT'], ['evhvbattery', 'EVHVBattery', 'SYSTEM_EV_HV_BATTERY'],
  ['lighting', 'Lighting', 'SYSTEM_LIGHTING'], ['mil', 'MIL', 'SYSTEM_MIL'], ['oillife', 'OilLife', 'SYSTEM_OIL_LIFE'],
  ['oilpressure', 'OilPressure', 'SYSTEM_OIL_PRESSURE'], ['oiltemperature', 'OilTemperature', 'SYSTEM_OIL_TEMPERATURE'],
  ['telematics', 'Telematics', 'SYSTEM_TELEMATICS'], ['tirepressure', 'TirePressure', 'SYSTEM_TIRE_PRESSURE'],
  ['tirepressuremonitoring', 'TirePressureMonitoring', 'SYSTEM_TIRE_PRESSURE_MONITORING'], ['transmission', 'Transmission', 'SYSTEM_TRANSMISSION'],
  ['washerfluid', 'WasherFluid', 'SYSTEM_WASHER_FLUID'], ['waterinfuel', 'WaterInFuel', 'SYSTEM_WATER_IN_FUEL'],
];
const diagnosticDefs: Def[] = [
  ...diagnosticSystems.map(([suffix, name, systemId]): Def => [suffix, name, 'systemStatus', 'diagnostics', (v) => {
    const sys = (v as SystemStatus).systems.find((s) => s.systemId === systemId);
    return sys && { status: sys.status, description: sys.description };
  }]),
  ['dtccount', 'DTCCount', 'dtcs', 'diagnostics', (v) => ({ value: (v as Dtcs).activeCodes.length })],
  ['dtclist', 'DTCList', 'dtcs', 'diagnostics', (v) => ({ values: (v as Dtcs).activeCodes.map((c) => ({ code: c.code, timestamp: c.timestamp })) })],
];

type Fuel = { range: number | null; percentRemaining: number | null; amountRemaining: number | null };
const cn = (f: (d: Connectivity) => unknown): Def[4] => (v) => val(f(v as Connectivity));
const tb = (f: (d: TractionBatteryDetails) => unknown): Def[4] => (v) => val(f(v as TractionBatteryDetails));
const vd = (f: (d: VehicleDetails) => unknown): Def[4] => (v) => val(f(v as VehicleDetails));

/**
 * The v3 signal catalogue (wire-contract-v3 §3, 93 codes in 19 groups; bodies as Smartcar's
 * published signal schemas give them), each a view of one connector reading, in metric units.
 */
export const SIGNALS: readonly SignalDef[] = [
  ...group('charge', 'Charge', 'read_charge', chargeDefs),
  ...group('climate', 'Climate', 'read_thermometer', [
    ['externaltemperature', 'ExternalTemperature', 'climate', 'climate', cl((d) => d.outsideC, 'C')],
    ['internaltemperature', 'InternalTemperature', 'climate', 'climate', cl((d) => d.cabinC, 'C')],
  ]),
  ...group('closure', 'Closure', 'read_security', [
    ['doors', 'Doors', 'lockStatus', 'lock_status', (v) => { const l = v as LockStatus; return grid(l.doors.map((d) => ({ type: d.type, item: d })), (d) => ({ isOpen: open(d), isLocked: l.isLocked })); }],
    ['enginecover', 'EngineCover', 'lockStatus', 'lock_status', (v, c) => (hasEngine(c) ? { isOpen: open(storage(v as LockStatus, 'front')) } : undefined)],
    ['fronttrunk', 'FrontTrunk', 'lockStatus', 'lock_status', (v, c) => (hasEngine(c) ? undefined : { isOpen: open(storage(v as LockStatus, 'front')), isLocked: (v as LockStatus).isLocked })],
    ['islocked', 'IsLocked', 'lockStatus', 'lock_status', (v) => val((v as LockStatus).isLocked)],
    ['reartrunk', 'RearTrunk', 'lockStatus', 'lock_status', (v) => ({ isOpen: open(storage(v as LockStatus, 'rear')), isLocked: (v as LockStatus).isLocked })],
    ['sunroof', 'Sunroof', 'lockStatus', 'lock_status', (v) => { const s = (v as LockStatus).sunroof[0]; return s && { isOpen: open(s) }; }],
    ['tailgate', 'Tailgate', 'lockStatus', 'lock_status', () => undefined],
    ['windows', 'Windows', 'lockStatus', 'lock_status', (v) => grid((v as LockStatus).windows.map((w) => ({ type: w.type, item: w })), (w) => ({ isOpen: open(w) }))],
  ]),
  ...group('connectivitysoftware', 'ConnectivitySoftware', 'read_extended_vehicle_info', [
    ['currentfirmwareversion', 'CurrentFirmwareVersion', 'connectivity', 'connectivity', cn((d) => d.firmwareVersion)],
  ]),
  ...group('connectivitystatus', 'ConnectivityStatus', 'read_vehicle_info', [
    ['isasleep', 'IsAsleep', 'connectivity', 'connectivity', cn((d) => d.asleep)],
    ['isdigitalkeypaired', 'IsDigitalKeyPaired', 'connectivity', 'connectivity', cn((d) => d.digitalKeyPaired)],
    ['isonline', 'IsOnline', 'connectivity', 'connectivity', cn((d) => d.online)],
  ]),
  ...group('diagnostics', 'Diagnostics', 'read_diagnostics', diagnosticDefs),
  ...group('hvac', 'HVAC', 'read_climate', [
    ['cabintargettemperature', 'CabinTargetTemperature', 'climate', 'climate', cl((d) => d.targetC, 'C')],
    ['iscabinhvacactive', 'IsCabinHVACActive', 'climate', 'climate', cl((d) => d.hvacOn)],
    ['isfrontdefrosteractive', 'IsFrontDefrosterActive', 'climate', 'climate', cl((d) => d.frontDefroster)],
    ['isreardefrosteractive', 'IsRearDefrosterActive', 'climate', 'climate', cl((d) => d.rearDefroster)],
    ['issteeringheateractive', 'IsSteeringHeaterActive', 'climate', 'climate', cl((d) => d.steeringWheelHeater)],
  ]),
  ...group('internalcombustionengine', 'InternalCombustionEngine', 'read_fuel', [
    ['amountremaining', 'AmountRemaining', 'fuel', 'fuel', (v) => val((v as Fuel).amountRemaining, 'l')],
    ['fuellevel', 'FuelLevel', 'fuel', 'fuel', (v) => val(pct((v as Fuel).percentRemaining), 'percent')],
    ['oillife', 'OilLife', 'engineOil', 'engine_oil', (v) => val(pct((v as { lifeRemaining: number }).lifeRemaining), 'percent'), 'read_engine_oil'],
    ['range', 'Range', 'fuel', 'fuel', (v) => val((v as Fuel).range, 'km')],
  ]),
  ...group('location', 'Location', 'read_location', [
    ['isathome', 'IsAtHome', 'homeLocation', 'home_location', (v) => val((v as { atHome: boolean }).atHome)],
    ['preciselocation', 'PreciseLocation', 'location', 'location', (v) => {
      const l = v as { latitude: number; longitude: number };
      return { latitude: l.latitude, longitude: l.longitude, heading: null, direction: null, locationType: 'CURRENT' };
    }],
  ]),
  ...group('lowvoltagebattery', 'LowVoltageBattery', 'read_battery', [
    ['stateofcharge', 'StateOfCharge', 'lowVoltageBattery', 'low_voltage_battery', (v) => val(pct((v as LowVoltageBattery).stateOfCharge), 'percent')],
    ['status', 'Status', 'lowVoltageBattery', 'low_voltage_battery', (v) => val((v as LowVoltageBattery).status)],
  ]),
  ...group('motion', 'Motion', 'read_speedometer', [
    ['currentspeed', 'CurrentSpeed', 'motion', 'motion', (v) => ({ value: r1((v as Motion).speed), unit: 'km/h' })],
  ]),
  ...group('odometer', 'Odometer', 'read_odometer', [
    ['traveleddistance', 'TraveledDistance', 'odometer', 'odometer', (v) => ({ value: (v as { distance: number }).distance, unit: 'km' })],
  ]),
  ...group('service', 'Service', 'read_service_history', [
    ['isinservice', 'IsInService', 'connectivity', 'connectivity', cn((d) => d.inService)],
    ['records', 'Records', 'serviceHistory', 'service_history', (v) => ({ values: v as ServiceRecord[] })],
  ]),
  ...group('surveillance', 'Surveillance', 'read_security', [
    ['brand', 'Brand', 'surveillance', 'surveillance', (v) => val((v as Surveillance).brand)],
    ['isenabled', 'IsEnabled', 'surveillance', 'surveillance', (v) => val((v as Surveillance).enabled)],
  ]),
  ...group('tractionbattery', 'TractionBattery', 'read_battery', [
    ['isheateractive', 'IsHeaterActive', 'batteryDetails', 'battery_details', tb((d) => d.heaterOn)],
    ['maxrangechargecounter', 'MaxRangeChargeCounter', 'batteryDetails', 'battery_details', tb((d) => d.maxRangeChargeCount)],
    ['nominalcapacity', 'NominalCapacity', 'nominalCapacity', 'nominal_capacity', (v) => {
      const n = v as NominalCapacity;
      return n.capacity ? { source: n.capacity.source, capacity: n.capacity.nominal, availableCapacities: n.availableCapacities, unit: 'kWh' } : undefined;
    }],
    ['range', 'Range', 'battery', 'battery', (v) => ({ value: (v as { range: number }).range, type: 'DEFAULT', additionalValues: [], unit: 'km' })],
    ['stateofcharge', 'StateOfCharge', 'battery', 'battery', (v) => ({ value: pct((v as { percentRemaining: number }).percentRemaining), unit: 'percent' })],
  ]),
  ...group('transmission', 'Transmission', 'read_vehicle_info', [
    ['drivemode', 'DriveMode', 'motion', 'motion', (v) => { const m = (v as Motion).driveMode; return m ? { value: m.canonical, oemValue: m.oemDisplayName } : undefined; }],
    ['gearstate', 'GearState', 'motion', 'motion', (v) => val((v as Motion).gear)],
  ]),
  ...group('vehicleidentification', 'VehicleIdentification', 'read_vehicle_info', [
    ['exteriorcolor', 'ExteriorColor', 'vehicleDetails', 'vehicle_details', vd((d) => d.exteriorColor)],
    ['nickname', 'Nickname', 'vehicleDetails', 'vehicle_details', vd((d) => d.nickname)],
    ['packages', 'Packages', 'vehicleDetails', 'vehicle_details', (v) => { const p = (v as VehicleDetails).packages; return p ? { values: p } : undefined; }],
    ['trim', 'Trim', 'vehicleDetails', 'vehicle_details', vd((d) => d.trim)],
    ['vin', 'VIN', 'identity', 'vin', (v) => val((v as { vin: string }).vin), 'read_vin'],
  ]),
  ...group('vehicleuseraccount', 'VehicleUserAccount', 'read_user_profile', [
    ['permissions', 'Permissions', 'accountAccess', 'account_access', (v) => ({ values: (v as AccountAccess).permissions })],
    ['role', 'Role', 'accountAccess', 'account_access', (v) => val((v as AccountAccess).role)],
  ]),
  ...group('wheel', 'Wheel', 'read_tires', [
    ['style', 'Style', 'vehicleDetails', 'vehicle_details', vd((d) => d.wheelStyle), 'read_vehicle_info'],
    ['tires', 'Tires', 'tirePressure', 'tires', (v) => {
      const t = v as TirePressure;
      return grid((['frontLeft', 'frontRight', 'backLeft', 'backRight'] as const).map((type) => ({ type, item: t[type] })), (p) => ({ tirePressure: p }), { unit: 'kPa' });
    }],
  ]),
];

export const SIGNALS_BY_CODE: ReadonlyMap<string, SignalDef> = new Map(SIGNALS.map((d) => [d.code, d]));

/**
 * A signal's body from its reading; a reading whose value does not have the shape the body needs
 * (a connector answering without a value, say) is that signal's `ERROR UPSTREAM INVALID_DATA`, never
 * the whole call's failure.
 */
export function bodyOf(def: SignalDef, value: unknown, c: BodyContext): BodyResult {
  try {
    return def.body(value, c);
  } catch {
    return { error: { type: 'UPSTREAM', code: 'INVALID_DATA' } };
  }
}
