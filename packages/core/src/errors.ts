/**
 * The one catalogue of every v2.0 wire error (wire-contract §8.2). Every error the API returns is
 * built from an entry here; grep this file, never string literals.
 */
export type ResolutionType =
  | 'RETRY_LATER' | 'REAUTHENTICATE' | 'CONTACT_SUPPORT' | 'FINANCE' | 'ACTION_REQUIRED' | null;

export interface CatalogueEntry {
  type: string;
  code: string | null;
  status: number;
  resolution: ResolutionType;
  /** Default English description, written for developers. */
  description: string;
  /** Text an app can show to the car owner. */
  suggestedUserMessage: string;
  /** What the developer should do about it (shown on the error reference page). */
  action: string;
}

const e = (
  type: string, code: string | null, status: number, resolution: ResolutionType,
  description: string, suggestedUserMessage: string, action: string,
): CatalogueEntry => ({ type, code, status, resolution, description, suggestedUserMessage, action });

const RETRY_MSG = 'Your car is temporarily unable to connect. Please try again later.';
const CAR_STATE_MSG = 'Your car could not carry out this request in its current state.';

export const CATALOGUE = [
  e('AUTHENTICATION', null, 401, null, 'The Authorization header is missing, malformed, expired or not valid.',
    'Please reconnect your car to this app.', 'Send a valid Bearer access token (or Basic client credentials / management token where the endpoint asks for them). Refresh expired access tokens.'),
  e('BILLING', 'VEHICLE_LIMIT', 430, 'CONTACT_SUPPORT', 'The plan of this application has reached its limit of connected vehicles.',
    'This app cannot connect more cars right now.', 'Disconnect unused vehicles or move to a plan with a higher vehicle limit: the dashboard\'s Plans page (/dashboard/plans) compares the plans.'),
  e('BILLING', 'INVALID_PLAN', 430, 'CONTACT_SUPPORT', 'This feature is not included in the plan of this application.',
    'This feature is not available in this app.', 'Move to a plan that includes the feature: the dashboard\'s Plans page (/dashboard/plans) lists the features of each plan.'),
  e('BILLING', 'VEHICLE_REQUEST_LIMIT', 430, 'CONTACT_SUPPORT', 'The monthly request quota of the plan has been used up.',
    'This app has reached its usage limit for your car this month.', 'Wait for the next billing month or move to a larger plan: the dashboard\'s Plans page (/dashboard/plans) compares the quotas.'),
  e('BILLING', 'ACCOUNT_SUSPENDED', 430, 'FINANCE', 'The developer account is suspended.',
    'This app is temporarily unavailable.', 'Settle the outstanding balance of the account.'),
  e('COMPATIBILITY', 'MAKE_NOT_COMPATIBLE', 501, null, 'This make is not supported in the country of the vehicle.',
    'Your car brand is not supported yet.', 'Check the compatibility matrix before connecting.'),
  e('COMPATIBILITY', 'PLATFORM_NOT_CAPABLE', 501, 'REAUTHENTICATE', 'The vehicle is connected through an integration that lacks this endpoint.',
    'Please reconnect your car to use this feature.', 'Ask the owner to reconnect the vehicle through Connect.'),
  e('COMPATIBILITY', 'SMARTCAR_NOT_CAPABLE', 501, null, 'The platform does not support this feature for this vehicle yet.',
    'This feature is not available for your car yet.', 'Use the compatibility API to learn which endpoints a vehicle supports.'),
  e('COMPATIBILITY', 'VEHICLE_NOT_CAPABLE', 501, null, 'The vehicle is not physically capable of this request.',
    'Your car does not support this feature.', 'Do not call this endpoint for this vehicle (e.g. /fuel on a BEV).'),
  e('CONNECTED_SERVICES_ACCOUNT', 'ACCOUNT_ISSUE', 400, null, 'The owner must complete a task in their connected-services account.',
    'Please sign in to your car brand\'s app and resolve any pending issue.', 'Ask the owner to open their brand app and accept terms or finish activation.'),
  e('CONNECTED_SERVICES_ACCOUNT', 'AUTHENTICATION_FAILED', 400, 'REAUTHENTICATE', 'The credentials of the connected-services account changed.',
    'Please reconnect your car: your brand account sign-in has changed.', 'Send the owner to resolution.url to re-authenticate.'),
  e('CONNECTED_SERVICES_ACCOUNT', 'NO_VEHICLES', 400, null, 'The connected-services account has no vehicles.',
    'No cars were found in your brand account.', 'Ask the owner to add the vehicle to their brand account.'),
  e('CONNECTED_SERVICES_ACCOUNT', 'PERMISSION', 400, 'REAUTHENTICATE', 'The owner revoked access in the brand portal.',
    'Please reconnect your car to this app.', 'Ask the owner to reconnect through Connect.'),
  e('CONNECTED_SERVICES_ACCOUNT', 'SUBSCRIPTION', 400, null, 'The connected-services subscription is inactive or lacks this feature.',
    'Your car\'s connected-services subscription is not active.', 'Ask the owner to renew the brand subscription.'),
  e('CONNECTED_SERVICES_ACCOUNT', 'VEHICLE_MISSING', 400, null, 'The vehicle is no longer in the connected-services account.',
    'This car is no longer in your brand account.', 'Ask the owner to add the car back to the brand account and reconnect.'),
  e('CONNECTED_SERVICES_ACCOUNT', 'VIRTUAL_KEY_REQUIRED', 400, 'ACTION_REQUIRED', 'A virtual key must be paired with the vehicle before commands work.',
    'Please pair the virtual key with your car to allow this action.', 'Send the owner to resolution.url to pair a virtual key.'),
  e('PERMISSION', null, 403, 'REAUTHENTICATE', 'The access token lacks the permission this endpoint needs.',
    'This app does not have permission for this action. Please reconnect your car.', 'Request the permission in Connect (scope) and have the owner reconnect.'),
  e('RATE_LIMIT', 'AUTHENTICATION', 429, 'RETRY_LATER', 'Too many failed credential checks from this client address or for this credential.',
    'Too many attempts right now. Please try again shortly.', 'Check the credentials you send; retry after the retry-after header\'s seconds.'),
  e('RATE_LIMIT', 'SMARTCAR_API', 429, 'RETRY_LATER', 'The application exceeded its request rate limit.',
    'Too many requests right now. Please try again shortly.', 'Slow down; the ratelimit-* headers say what is left.'),
  e('RATE_LIMIT', 'VEHICLE', 429, 'RETRY_LATER', 'Too many requests to this vehicle.',
    'Your car is getting too many requests. Please try again later.', 'Wait for the retry-after header\'s seconds before calling this vehicle again.'),
  e('RESOURCE_NOT_FOUND', 'PATH', 404, null, 'The requested path, method or resource id does not exist.',
    'Something went wrong. Please try again.', 'Check the URL, method and ids against the API reference.'),
  e('RESOURCE_NOT_FOUND', 'SIGNAL_NOT_FOUND', 404, null, 'No signal has this code (API v3); codes are <group>-<name> in lower case, e.g. vehicleidentification-vin.',
    'Something went wrong. Please try again.', 'Check the code against the signal catalogue.'),
  e('RESOURCE_NOT_FOUND', 'VERSION', 404, null, 'The version segment of the path is missing or not supported.',
    'Something went wrong. Please try again.', 'Use /v2.0/ (or /v3/ for signals).'),
  e('SERVER', 'INTERNAL', 500, 'RETRY_LATER', 'An unexpected error occurred.',
    'Something went wrong. Please try again later.', 'Retry later; report the requestId if it persists.'),
  e('SERVER', 'RECORD_NOT_FOUND', 500, 'CONTACT_SUPPORT', 'A record the request needs does not exist (e.g. battery capacity).',
    'Some information about your car is missing.', 'Ask the owner to provide the missing data (e.g. battery capacity).'),
  e('SERVER', 'MULTIPLE_RECORDS_FOUND', 500, 'CONTACT_SUPPORT', 'Several candidate records exist; they are listed in detail.',
    'Please tell us more about your car to continue.', 'Send the owner to the battery-capacity selection page.'),
  e('UPSTREAM', 'INVALID_DATA', 502, 'RETRY_LATER', 'The brand\'s cloud returned data that cannot be used.',
    RETRY_MSG, 'Retry later.'),
  e('UPSTREAM', 'KNOWN_ISSUE', 502, 'RETRY_LATER', 'The brand\'s cloud has a known problem.',
    RETRY_MSG, 'Retry later.'),
  e('UPSTREAM', 'NO_RESPONSE', 502, 'RETRY_LATER', 'The brand\'s cloud or the vehicle did not answer in time.',
    RETRY_MSG, 'Retry later; avoid waking sleeping vehicles too often.'),
  e('UPSTREAM', 'RATE_LIMIT', 502, 'RETRY_LATER', 'The brand\'s own request quota for this vehicle was exceeded.',
    RETRY_MSG, 'Poll less often (at most every 30 minutes); retry after the retry-after header\'s seconds.'),
  e('UPSTREAM', 'UNKNOWN_ISSUE', 502, 'RETRY_LATER', 'The brand\'s cloud returned an unexpected error.',
    RETRY_MSG, 'Retry later.'),
  e('VALIDATION', null, 400, null, 'The request is malformed (body, parameters, content type or method).',
    'Something went wrong. Please try again.', 'Fix the request; detail lists what was wrong.'),
  e('VALIDATION', 'PARAMETER', 400, null, 'A parameter value is not acceptable.',
    'Something went wrong. Please try again.', 'Fix the parameter named in detail.'),
  e('VALIDATION', 'MISSING_PARAMETER', 400, null, 'A required parameter or header is missing (API v3: sc-user-id with an application token).',
    'Something went wrong. Please try again.', 'Send the parameter or header named in detail.'),
  e('VALIDATION', 'INVALID_INPUT_FORMAT', 400, null, 'A parameter or body field has the wrong format or is out of range (API v3).',
    'Something went wrong. Please try again.', 'Fix the field named in detail.'),
  e('VALIDATION', 'ALREADY_EXISTS', 409, null, 'The resource the request would create exists already (API v3: this vehicle is already subscribed to this webhook).',
    'Something went wrong. Please try again.', 'Nothing to do: the resource exists; list it instead of creating it again.'),
  e('VALIDATION', 'PAYLOAD_TOO_LARGE', 413, null, 'The request body is larger than the endpoint accepts (1 MiB).',
    'Something went wrong. Please try again.', 'Send a smaller body; no endpoint needs more than a few kilobytes.'),
  e('VEHICLE_STATE', 'ASLEEP', 409, null, 'The vehicle is asleep and did not wake for this request.', 'Your car is asleep. Please wake it and try again.', 'Retry later or wake the vehicle.'),
  e('VEHICLE_STATE', 'CHARGING_IN_PROGRESS', 409, null, 'The vehicle is already charging.', 'Your car is already charging.', 'No action needed.'),
  e('VEHICLE_STATE', 'CHARGING_PLUG_CONNECTED', 409, null, 'The vehicle refused the command because it is plugged in.', 'Please unplug your car and try again.', 'Ask the owner to unplug.'),
  e('VEHICLE_STATE', 'CHARGING_PLUG_NOT_CONNECTED', 409, null, 'The vehicle is not plugged in.', 'Please plug in your car and try again.', 'Ask the owner to plug in.'),
  e('VEHICLE_STATE', 'CHARGE_FAULT', 409, null, 'The charger delivers no current or a schedule conflicts.', 'Your car could not start charging. Please check the charger.', 'Ask the owner to check the charger and schedules.'),
  e('VEHICLE_STATE', 'DOOR_OPEN', 409, null, 'A door is open.', 'Please close all doors and try again.', 'Ask the owner to close the doors.'),
  e('VEHICLE_STATE', 'FULLY_CHARGED', 409, null, 'The battery is already at its charge limit.', 'Your car is already fully charged.', 'Raise the charge limit first or do nothing.'),
  e('VEHICLE_STATE', 'HOOD_OPEN', 409, null, 'The hood is open.', 'Please close the hood and try again.', 'Ask the owner to close the hood.'),
  e('VEHICLE_STATE', 'IGNITION_ON', 409, null, 'The engine or ignition is on.', 'Please turn off your car and try again.', 'Retry when the car is off.'),
  e('VEHICLE_STATE', 'IN_MOTION', 409, null, 'The vehicle is driving.', 'Your car is moving. Please try again when it is parked.', 'Retry when the car is parked.'),
  e('VEHICLE_STATE', 'LOW_BATTERY', 409, 'RETRY_LATER', 'The 12 V or traction battery is too low for this request.', 'Your car\'s battery is too low for this request.', 'Retry after the car has been driven or charged.'),
  e('VEHICLE_STATE', 'NOT_CHARGING', 409, null, 'This endpoint needs the vehicle to be charging.', 'Your car is not charging.', 'Call it while charging.'),
  e('VEHICLE_STATE', 'REMOTE_ACCESS_DISABLED', 409, null, 'Remote access is disabled in the vehicle.', 'Please enable remote access in your car.', 'Ask the owner to enable remote access.'),
  e('VEHICLE_STATE', 'TRUNK_OPEN', 409, null, 'The trunk or frunk is open.', 'Please close the trunk and try again.', 'Ask the owner to close the trunk.'),
  e('VEHICLE_STATE', 'UNKNOWN', 409, 'RETRY_LATER', 'The state of the vehicle could not be determined.', CAR_STATE_MSG, 'Retry later.'),
  e('VEHICLE_STATE', 'UNREACHABLE', 409, null, 'The vehicle has no connectivity.', 'Your car is out of network coverage. Please try again later.', 'Retry when the car is back in coverage.'),
  e('VEHICLE_STATE', 'VEHICLE_OFFLINE_FOR_SERVICE', 409, null, 'The vehicle is in service mode.', 'Your car is in service mode.', 'Retry after the service.'),
] as const satisfies readonly CatalogueEntry[];

type Entry = (typeof CATALOGUE)[number];
/** `TYPE` or `TYPE:CODE` — the key every error is looked up by. */
export type ErrorKey = Entry extends infer E ? E extends { type: infer T extends string; code: infer C } ?
  C extends string ? `${T}:${C}` : T : never : never;

const byKey = new Map<string, CatalogueEntry>(
  CATALOGUE.map((c) => [c.code === null ? c.type : `${c.type}:${c.code}`, c]),
);

export function catalogueEntry(key: ErrorKey): CatalogueEntry {
  const entry = byKey.get(key);
  if (!entry) throw new Error(`unknown error key ${key}`);
  return entry;
}

const PAGES: Record<string, string> = {
  AUTHENTICATION: 'authentication-errors', BILLING: 'billing-errors', COMPATIBILITY: 'compatibility-errors',
  CONNECTED_SERVICES_ACCOUNT: 'connected-services-account-errors', PERMISSION: 'permission-errors',
  RATE_LIMIT: 'rate-limit-errors', RESOURCE_NOT_FOUND: 'resource-not-found-errors', SERVER: 'server-errors',
  UPSTREAM: 'upstream-errors', VALIDATION: 'validation-errors', VEHICLE_STATE: 'vehicle-state-errors',
};

export function errorPage(type: string): string {
  return PAGES[type] ?? 'server-errors';
}

/** Anchor on the error page: the code in kebab case, `null` when the code is null. */
export function errorAnchor(code: string | null): string {
  return code === null ? 'null' : code.toLowerCase().replace(/_/g, '-');
}

export function docUrl(publicUrl: string, type: string, code: string | null): string {
  return `${publicUrl}/docs/errors/${errorPage(type)}#${errorAnchor(code)}`;
}
