import type { HttpMethod } from '../../route-spec.js';
import type { UnitFields } from '../../http/units.js';

/** One brand-specific endpoint (wire-contract §5.8). */
export interface BrandEndpoint {
  makes: readonly string[];
  method: HttpMethod;
  /** Path after `/{make}/`. */
  path: string;
  permission: string | null;
  /** Top-level keys of the 200 body (exact key set). */
  keys: readonly string[];
  units?: UnitFields;
  /** Returns a problem description when the body is not acceptable. */
  validate?: (body: unknown) => string | undefined;
  summary: string;
}

const ACTION = ['status', 'message'] as const;
const field = (body: unknown, k: string): unknown => (body && typeof body === 'object' ? (body as Record<string, unknown>)[k] : undefined);
const oneOf = (k: string, values: string[]) => (b: unknown) => (values.includes(String(field(b, k))) ? undefined : `${k} must be one of ${values.join(', ')}`);
const numberIn = (k: string, min: number, max: number) => (b: unknown) => {
  const v = Number(field(b, k));
  return field(b, k) !== undefined && field(b, k) !== '' && Number.isFinite(v) && v >= min && v <= max ? undefined : `${k} must be a number between ${min} and ${max}`;
};

const TESLA = ['tesla'] as const;
const CHARGE_COMPLETION = ['tesla', 'cadillac', 'chevrolet'] as const;

const e = (makes: readonly string[], method: HttpMethod, path: string, permission: string | null, keys: readonly string[], summary: string, extra: Partial<BrandEndpoint> = {}): BrandEndpoint =>
  ({ makes, method, path, permission, keys, summary, ...extra });

export const BRAND_ENDPOINTS: readonly BrandEndpoint[] = [
  e(TESLA, 'GET', 'charge', 'read_charge', ['amperage', 'completionTime', 'wattage', 'voltage', 'isPluggedIn', 'state', 'socLimit',
    'amperageMaxVehicle', 'socLimitMax', 'socLimitMin', 'socLimitDefault', 'amperageRequested', 'energyAdded', 'rangeAddedRated',
    'rangeAddedIdeal', 'chargeRate', 'connector', 'fastChargerPresent', 'fastChargerType', 'fastChargerBrand', 'amperageMaxCharger',
    'chargePortColor', 'chargePortOpen', 'chargePortLatch', 'chargerPhases'], 'Detailed charge state',
  { units: { rangeAddedRated: 'distance', rangeAddedIdeal: 'distance', chargeRate: 'speed' } }),
  e(TESLA, 'GET', 'battery', 'read_battery', ['percentRemaining', 'range', 'heaterOn', 'rangeEstimated', 'rangeIdeal',
    'percentRemainingUsable', 'maxRangeChargeCounter', 'notEnoughPowerToHeat'], 'Detailed battery state',
  { units: { range: 'distance', rangeEstimated: 'distance', rangeIdeal: 'distance' } }),
  e(CHARGE_COMPLETION, 'GET', 'charge/completion', 'read_charge', ['time'], 'Charge completion time'),
  e(CHARGE_COMPLETION, 'GET', 'charge/voltmeter', 'read_charge', ['voltage'], 'Charging voltage'),
  e(TESLA, 'GET', 'charge/wattmeter', 'read_charge', ['wattage'], 'Charging power'),
  e(TESLA, 'GET', 'charge/ammeter', 'read_charge', ['amperage'], 'Charging current'),
  e(TESLA, 'POST', 'charge/ammeter', 'control_charge', ACTION, 'Set the charging current', { validate: numberIn('amperage', 1, 1000) }),
  e(TESLA, 'GET', 'charge/schedule', 'read_charge', ['departureTime', 'startTime'], 'Charge schedule'),
  e(TESLA, 'POST', 'charge/schedule', 'control_charge', ['departureTime', 'startTime'], 'Set the charge schedule',
    { validate: oneOf('type', ['START_TIME', 'DEPARTURE_TIME']) }),
  e(TESLA, 'GET', 'charge/records/billing', 'read_charge_records', ['records', 'hasMoreData'], 'Billed charging records'),
  e(['tesla', 'bmw', 'mini'], 'GET', 'charge/records', 'read_charge_records', ['records'], 'Charging records (30 days at most)'),
  e(TESLA, 'POST', 'charge/charge_port_door', 'control_charge', ACTION, 'Open or close the charge port door', { validate: oneOf('action', ['OPEN', 'CLOSE']) }),
  e(TESLA, 'POST', 'security/frunk', 'control_trunk', ACTION, 'Open or close the front trunk', { validate: oneOf('action', ['OPEN', 'CLOSE']) }),
  e(TESLA, 'POST', 'security/trunk', 'control_trunk', ACTION, 'Open or close the rear trunk', { validate: oneOf('action', ['OPEN', 'CLOSE']) }),
  e(TESLA, 'GET', 'alerts', 'read_alerts', ['alerts'], 'Recent vehicle alerts'),
  e(TESLA, 'GET', 'climate/cabin', 'read_climate', ['status', 'temperature'], 'Cabin climate', { units: { temperature: 'temperature' } }),
  e(TESLA, 'POST', 'climate/cabin', 'control_climate', ['status', 'temperature'], 'Control cabin climate',
    { units: { temperature: 'temperature' }, validate: oneOf('action', ['START', 'STOP', 'SET']) }),
  e(TESLA, 'GET', 'climate/defroster', 'read_climate', ['frontStatus', 'rearStatus'], 'Defroster state'),
  e(TESLA, 'POST', 'climate/defroster', 'control_climate', ['status'], 'Control the defroster', { validate: oneOf('action', ['START', 'STOP']) }),
  e(TESLA, 'GET', 'climate/steering_wheel', 'read_climate', ['status'], 'Steering wheel heater state'),
  e(TESLA, 'POST', 'climate/steering_wheel', 'control_climate', ['status'], 'Control the steering wheel heater', { validate: oneOf('action', ['START', 'STOP']) }),
  e(TESLA, 'GET', 'compass', 'read_compass', ['direction', 'heading'], 'Compass heading'),
  e(TESLA, 'GET', 'speedometer', 'read_speedometer', ['speed'], 'Current speed', { units: { speed: 'speed' } }),
  e(TESLA, 'GET', 'thermometer/exterior', 'read_thermometer', ['temperature'], 'Exterior temperature', { units: { temperature: 'temperature' } }),
  e(TESLA, 'GET', 'thermometer/interior', 'read_thermometer', ['temperature'], 'Interior temperature', { units: { temperature: 'temperature' } }),
  e(TESLA, 'GET', 'attributes', 'read_extended_vehicle_info', ['id', 'make', 'model', 'year', 'firmwareVersion', 'trimBadging',
    'efficiencyPackage', 'performancePackage', 'nickname', 'driverAssistVersion', 'atHome', 'sentryMode', 'style', 'wheel', 'driveUnit'],
  'Extended vehicle attributes'),
  e(TESLA, 'GET', 'status', 'read_extended_vehicle_info', ['status', 'inService', 'gear'], 'Vehicle status'),
  e(TESLA, 'GET', 'migration', 'read_vehicle_info', ['requiresMigration'], 'Integration migration status'),
  e(TESLA, 'GET', 'virtual_key', 'read_vehicle_info', ['isPaired'], 'Virtual key pairing status'),
  e(TESLA, 'GET', 'user/access', null, ['accessType', 'permissions'], 'Access type of the connected account'),
  e(TESLA, 'GET', 'user/info', 'read_user_profile', ['email'], 'Profile of the connected account'),
  e(TESLA, 'POST', 'pin', 'control_pin', ACTION, 'Set the PIN to drive', { validate: (b) => (/^\d{4}$/.test(String(field(b, 'pin'))) ? undefined : 'pin must be 4 digits') }),
  e(TESLA, 'DELETE', 'pin', 'control_pin', ACTION, 'Remove the PIN to drive'),
  e(['ford', 'lincoln'], 'GET', 'charge/schedule_by_location', 'read_charge_locations', ['chargingLocations'], 'Charge schedules by location'),
  e(['ford', 'lincoln'], 'PUT', 'charge/schedule_by_location', 'control_charge', ['chargingLocations'], 'Set the charge schedule of a location',
    { validate: (b) => (field(b, 'chargingLocation') && typeof field(b, 'chargingLocation') === 'object' ? undefined : 'chargingLocation must be an object') }),
  e(['nissan'], 'GET', 'charge/schedule', 'read_charge', ['chargeSchedules'], 'Charge schedules'),
  e(['nissan'], 'PUT', 'charge/schedule', 'control_charge', ['chargeSchedules'], 'Set the charge schedules',
    { validate: (b) => (Array.isArray(field(b, 'chargeSchedules')) && (field(b, 'chargeSchedules') as unknown[]).length <= 3 ? undefined : 'chargeSchedules must be an array of at most 3 schedules') }),
  e(['audi'], 'GET', 'charge', 'read_charge', ['chargingStatus', 'isPluggedIn', 'wattage', 'chargeRate', 'chargeType', 'chargePortColor',
    'chargePortLatch', 'completionTime', 'chargeMode', 'socLimit', 'externalPowerStatus'], 'Detailed charge state'),
];

export const BRAND_MAKES: ReadonlySet<string> = new Set(BRAND_ENDPOINTS.flatMap((b) => b.makes));
