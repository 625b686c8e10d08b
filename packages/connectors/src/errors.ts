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
  | { kind: 'record'; code: 'RECORD_NOT_FOUND' | 'MULTIPLE_RECORDS_FOUND'; detail?: unknown[] };

export type VehicleStateCode =
  | 'ASLEEP' | 'CHARGING_IN_PROGRESS' | 'CHARGING_PLUG_CONNECTED' | 'CHARGING_PLUG_NOT_CONNECTED' | 'CHARGE_FAULT'
  | 'DOOR_OPEN' | 'FULLY_CHARGED' | 'HOOD_OPEN' | 'IGNITION_ON' | 'IN_MOTION' | 'LOW_BATTERY' | 'NOT_CHARGING'
  | 'REMOTE_ACCESS_DISABLED' | 'TRUNK_OPEN' | 'UNKNOWN' | 'UNREACHABLE' | 'VEHICLE_OFFLINE_FOR_SERVICE';

export class VehicleError extends Error {
  constructor(readonly failure: VehicleErrorKind, message?: string) {
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
  }
}

/** Converts a connector failure into the wire error; `resolutionUrl` is the re-auth link when relevant. */
export function toApiError(err: VehicleError, resolutionUrl?: string): ApiError {
  const f = err.failure;
  return new ApiError(catalogueKeyOf(f), {
    cause: err,
    retryAfter: f.kind === 'upstream_rate_limit' ? f.retryAfter : undefined,
    detail: f.kind === 'record' ? f.detail : undefined,
    resolutionUrl,
  });
}
