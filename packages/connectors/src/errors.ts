import { ApiError, type ErrorKey } from '@opencar/core';

/**
 * Typed connector failures. Each kind maps one-to-one onto a catalogue entry, so the API layer
 * never invents an error for a connector.
 */
export type VehicleErrorKind =
  | { kind: 'asleep' }
  | { kind: 'unreachable' }
  | { kind: 'timeout' }
  | { kind: 'not_capable'; platform?: boolean }
  | { kind: 'upstream_rate_limit'; retryAfter: number }
  | { kind: 'oem_auth_failed' }
  | { kind: 'account'; code: 'ACCOUNT_ISSUE' | 'NO_VEHICLES' | 'PERMISSION' | 'SUBSCRIPTION' | 'VEHICLE_MISSING' | 'VIRTUAL_KEY_REQUIRED' }
  | { kind: 'precondition'; code: VehicleStateCode }
  | { kind: 'upstream'; code: 'INVALID_DATA' | 'KNOWN_ISSUE' | 'UNKNOWN_ISSUE' }
  | { kind: 'record'; code: 'RECORD_NOT_FOUND' | 'MULTIPLE_RECORDS_FOUND'; detail?: unknown[] }
  | { kind: 'make_not_compatible' };

export type VehicleStateCode =
  | 'ASLEEP' | 'CHARGING_IN_PROGRESS' | 'CHARGING_PLUG_CONNECTED' | 'CHARGING_PLUG_NOT_CONNECTED' | 'CHARGE_FAULT'
  | 'DOOR_OPEN' | 'FULLY_CHARGED' | 'HOOD_OPEN' | 'IGNITION_ON' | 'IN_MOTION' | 'LOW_BATTERY' | 'NOT_CHARGING'
  | 'REMOTE_ACCESS_DISABLED' | 'TRUNK_OPEN' | 'UNKNOWN' | 'UNREACHABLE' | 'VEHICLE_OFFLINE_FOR_SERVICE';

/** What a connector adds to a failure: a description for the developer, and a link where the owner can act. */
export interface VehicleErrorDetail {
  /** Replaces the catalogue's description (e.g. what the operator must set up). */
  description?: string;
  /** `resolution.url` (e.g. the virtual-key pairing link). */
  resolutionUrl?: string;
  /** The OEM error rule that produced the failure (connectors decide on it; never serialised). */
  oemRule?: string;
}

export class VehicleError extends Error {
  constructor(readonly failure: VehicleErrorKind, message?: string, readonly detail: VehicleErrorDetail = {}) {
    super(message ?? failure.kind);
    this.name = 'VehicleError';
  }
}

export function catalogueKeyOf(f: VehicleErrorKind): ErrorKey {
  switch (f.kind) {
    case 'asleep': return 'VEHICLE_STATE:ASLEEP';
    case 'unreachable': return 'VEHICLE_STATE:UNREACHABLE';
    case 'timeout': return 'UPSTREAM:NO_RESPONSE';
    case 'not_capable': return f.platform ? 'COMPATIBILITY:SMARTCAR_NOT_CAPABLE' : 'COMPATIBILITY:VEHICLE_NOT_CAPABLE';
    case 'upstream_rate_limit': return 'UPSTREAM:RATE_LIMIT';
    case 'oem_auth_failed': return 'CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED';
    case 'account': return `CONNECTED_SERVICES_ACCOUNT:${f.code}`;
    case 'precondition': return `VEHICLE_STATE:${f.code}`;
    case 'upstream': return `UPSTREAM:${f.code}`;
    case 'record': return `SERVER:${f.code}`;
    case 'make_not_compatible': return 'COMPATIBILITY:MAKE_NOT_COMPATIBLE';
  }
}

/**
 * Converts a connector failure into the wire error; `resolutionUrl` is the re-auth link when relevant
 * (otherwise the connector's own link, e.g. where to pair a virtual key).
 */
export function toApiError(err: VehicleError, resolutionUrl?: string): ApiError {
  const f = err.failure;
  return new ApiError(catalogueKeyOf(f), {
    cause: err,
    retryAfter: f.kind === 'upstream_rate_limit' ? f.retryAfter : undefined,
    detail: f.kind === 'record' ? f.detail : undefined,
    description: err.detail.description,
    resolutionUrl: resolutionUrl ?? err.detail.resolutionUrl,
  });
}

/** Failures the owner fixes by signing in to the brand again (Connect's re-authentication link applies). */
export function needsReauthentication(err: VehicleError): boolean {
  const f = err.failure;
  return f.kind === 'oem_auth_failed' || (f.kind === 'account' && f.code === 'PERMISSION');
}

/**
 * The connector failure for a catalogue key (test-mode error logins, injected faults); undefined
 * for keys no vehicle backend produces (authentication, billing, platform rate limits …).
 */
export function vehicleErrorFor(key: string, retryAfter = 60): VehicleError | undefined {
  const [type, code] = key.split(':') as [string, string | undefined];
  const k = ((): VehicleErrorKind | undefined => {
    switch (type) {
      case 'VEHICLE_STATE':
        if (code === 'ASLEEP') return { kind: 'asleep' };
        if (code === 'UNREACHABLE') return { kind: 'unreachable' };
        return code && STATE_CODES.has(code) ? { kind: 'precondition', code: code as VehicleStateCode } : undefined;
      case 'UPSTREAM':
        if (code === 'NO_RESPONSE') return { kind: 'timeout' };
        if (code === 'RATE_LIMIT') return { kind: 'upstream_rate_limit', retryAfter };
        return code === 'INVALID_DATA' || code === 'KNOWN_ISSUE' || code === 'UNKNOWN_ISSUE' ? { kind: 'upstream', code } : undefined;
      case 'COMPATIBILITY':
        if (code === 'VEHICLE_NOT_CAPABLE') return { kind: 'not_capable' };
        if (code === 'SMARTCAR_NOT_CAPABLE') return { kind: 'not_capable', platform: true };
        if (code === 'MAKE_NOT_COMPATIBLE') return { kind: 'make_not_compatible' };
        return undefined;
      case 'CONNECTED_SERVICES_ACCOUNT':
        if (code === 'AUTHENTICATION_FAILED') return { kind: 'oem_auth_failed' };
        return code && ACCOUNT_CODES.has(code) ? { kind: 'account', code: code as 'ACCOUNT_ISSUE' } : undefined;
      case 'SERVER':
        return code === 'RECORD_NOT_FOUND' || code === 'MULTIPLE_RECORDS_FOUND' ? { kind: 'record', code } : undefined;
      default:
        return undefined;
    }
  })();
  return k ? new VehicleError(k) : undefined;
}

const STATE_CODES = new Set<string>([
  'CHARGING_IN_PROGRESS', 'CHARGING_PLUG_CONNECTED', 'CHARGING_PLUG_NOT_CONNECTED', 'CHARGE_FAULT', 'DOOR_OPEN',
  'FULLY_CHARGED', 'HOOD_OPEN', 'IGNITION_ON', 'IN_MOTION', 'LOW_BATTERY', 'NOT_CHARGING', 'REMOTE_ACCESS_DISABLED',
  'TRUNK_OPEN', 'UNKNOWN', 'VEHICLE_OFFLINE_FOR_SERVICE',
]);
const ACCOUNT_CODES = new Set<string>(['ACCOUNT_ISSUE', 'NO_VEHICLES', 'PERMISSION', 'SUBSCRIPTION', 'VEHICLE_MISSING', 'VIRTUAL_KEY_REQUIRED']);
