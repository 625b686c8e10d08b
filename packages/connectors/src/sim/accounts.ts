import type { ConnectErrorCode, ConnectMode, SignInInput } from '../backend.js';
import type { Powertrain } from '../connector.js';

/**
 * Test-mode login conventions (wire-contract §15): what an email asks the simulated OEM account for.
 */
export const ERROR_VINS: Readonly<Record<string, string>> = {
  'COMPATIBILITY:MAKE_NOT_COMPATIBLE': '0SCLR000270BE6600',
  'COMPATIBILITY:SMARTCAR_NOT_CAPABLE': '0SCLR0002DC18F57F',
  'COMPATIBILITY:VEHICLE_NOT_CAPABLE': '0SCLR00024C7CDF7A',
  'CONNECTED_SERVICES_ACCOUNT:ACCOUNT_ISSUE': '0SCLR00026BAAA136',
  'CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED': '0SCLR00021D803C7B',
  'CONNECTED_SERVICES_ACCOUNT:NO_VEHICLES': '0SCLR00027671837B',
  'CONNECTED_SERVICES_ACCOUNT:SUBSCRIPTION': '0SCLR0002B9BAF29F',
  'CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING': '0SCLR00024E29EEBD',
  'UPSTREAM:INVALID_DATA': '0SCLR000298A0A649',
  'UPSTREAM:KNOWN_ISSUE': '0SCLR0002A8760B72',
  'UPSTREAM:NO_RESPONSE': '0SCLR0002C23E43AB',
  'UPSTREAM:UNKNOWN_ISSUE': '0SCLR0002D4878901',
  'VEHICLE_STATE:ASLEEP': '0SCLR0002E8896323',
  'VEHICLE_STATE:CHARGING_IN_PROGRESS': '0SCLR000221F1E672',
  'VEHICLE_STATE:CHARGING_PLUG_NOT_CONNECTED': '0SCLR0002CBFC7C21',
  'VEHICLE_STATE:DOOR_OPEN': '0SCLR0002F8BD90B8',
  'VEHICLE_STATE:FULLY_CHARGED': '0SCLR00029CD9D894',
  'VEHICLE_STATE:HOOD_OPEN': '0SCLR000219CD4A2C',
  'VEHICLE_STATE:IGNITION_ON': '0SCLR00021D49E58A',
  'VEHICLE_STATE:IN_MOTION': '0SCLR00024F6EE640',
  'VEHICLE_STATE:REMOTE_ACCESS_DISABLED': '0SCLR0002588A5CC1',
  'VEHICLE_STATE:TRUNK_OPEN': '0SCLR00023C607FDB',
  'VEHICLE_STATE:UNKNOWN': '0SCLR0002E6CC0314',
  'VEHICLE_STATE:UNREACHABLE': '0SCLR000247EBF067',
  'VEHICLE_STATE:VEHICLE_OFFLINE_FOR_SERVICE': '0SCLR0002AF1D71A1',
};

export const SUCCESSFUL_REQUEST_VIN = '0SCSUCCESS0000001';
export const INVALID_SUBSCRIPTION_VIN = '0SCAUDI0155C49A95';
export const INCOMPATIBLE_VIN = '0SCAUDI012FE3B132';

export type LoginPlan =
  | { kind: 'vehicles'; count: number; vin?: string; powertrain?: Powertrain[]; trigger?: string }
  | { kind: 'connect-error'; error: ConnectErrorCode; description: string; vin: string };

const COMPAT: Record<string, Powertrain[] | 'incompatible'> = {
  compatible: ['BEV', 'PHEV', 'HEV', 'ICE'], bev: ['BEV'], phev: ['PHEV'], fuel: ['ICE', 'HEV'], incompatible: 'incompatible',
};

/** Reads the login conventions out of an email address (case-insensitive). */
export function planLogin(input: Pick<SignInInput, 'email'>): LoginPlan {
  const email = input.email.trim();
  const lower = email.toLowerCase();
  if (lower === 'smartcar@invalid-subscription.com') {
    return { kind: 'connect-error', error: 'invalid_subscription', description: 'The connected-services subscription of this vehicle is not active.', vin: INVALID_SUBSCRIPTION_VIN };
  }
  if (lower === 'smartcar@vehicle-incompatible.com') {
    return { kind: 'connect-error', error: 'vehicle_incompatible', description: 'This vehicle is not compatible.', vin: INCOMPATIBLE_VIN };
  }
  if (lower === 'smartcar@successful-request.com') return { kind: 'vehicles', count: 1, vin: SUCCESSFUL_REQUEST_VIN };
  const trig = /^([a-z_]+)\.([a-z_]+)@smartcar\.com$/i.exec(email);
  if (trig) {
    const key = `${trig[1]!.toUpperCase()}:${trig[2]!.toUpperCase()}`;
    const vin = ERROR_VINS[key];
    if (vin) return { kind: 'vehicles', count: 1, vin, trigger: key };
  }
  const vinLogin = /^([a-hj-npr-z0-9]{17})@([a-z]+)\.smartcar\.com$/i.exec(email);
  if (vinLogin) {
    const compat = COMPAT[vinLogin[2]!.toLowerCase()];
    const vin = vinLogin[1]!.toUpperCase();
    if (compat === 'incompatible') return { kind: 'connect-error', error: 'vehicle_incompatible', description: 'This vehicle is not compatible.', vin };
    if (compat) return { kind: 'vehicles', count: 1, vin, powertrain: compat };
  }
  const many = /^(\d{1,4})-vehicles@/i.exec(email);
  if (many) {
    const n = Number(many[1]);
    if (n >= 1 && n <= 999) return { kind: 'vehicles', count: n };
  }
  return { kind: 'vehicles', count: 1 };
}

/**
 * The stable key of a simulated OEM account: brand, e-mail and mode, plus the app that created it
 * (accounts are scoped to their app) and, in test mode, the models the request allowed (a request
 * that needs other capabilities gets its own account and vehicle). Without an app it is the key
 * accounts had before they were scoped.
 */
export function accountKey(make: string, email: string, mode: ConnectMode, appId?: string, variant?: string): string {
  const base = `account:${make.toUpperCase()}:${email.trim().toLowerCase()}:${mode}`;
  if (appId === undefined) return base;
  return `${base}:app:${appId}${variant ? `:models:${variant}` : ''}`;
}
