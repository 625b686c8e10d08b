import { VehicleError, needsReauthentication, toApiError } from '@opencar/connectors';
import { inUnits } from '../http/units.js';
import type { Outcome, VehicleCall, VehicleRoute } from '../route-spec.js';

export interface RouteResult {
  body: unknown;
  headers: Record<string, string>;
  woke: boolean;
}

/** Last timestamp formatted: under load many answers in the same millisecond share it. */
let lastMs = Number.NaN;
let lastIso = '';
function isoOf(ms: number): string {
  if (ms !== lastMs) { lastIso = new Date(ms).toISOString(); lastMs = ms; }
  return lastIso;
}

/** The v2 freshness and unit headers of one answer (wire-contract §7). */
export function freshnessHeaders(call: Pick<VehicleCall, 'unitSystem'>, outcome: Outcome): Record<string, string> {
  const headers: Record<string, string> = { 'sc-unit-system': call.unitSystem };
  if (outcome.freshness) {
    headers['sc-data-age'] = isoOf(outcome.freshness.capturedAt);
    headers['sc-fetched-at'] = isoOf(outcome.freshness.retrievedAt);
  }
  return headers;
}

/** The Connect re-authentication link for one app's vehicle (wire-contract §2.4); the app's first redirect URI applies. */
export function reauthenticateUrl(publicUrl: string, appId: string, vehicleId: string): string {
  const q = new URLSearchParams({ response_type: 'vehicle_id', client_id: appId, vehicle_id: vehicleId });
  return `${publicUrl}/oauth/reauthenticate?${q.toString()}`;
}

/** Connector failures surface as their catalogue errors; OEM sign-in failures carry the re-auth link. */
export function asApiError(err: unknown, publicUrl: string, appId: string, vehicleId: string): unknown {
  if (err instanceof VehicleError) {
    const reauth = needsReauthentication(err) ? reauthenticateUrl(publicUrl, appId, vehicleId) : undefined;
    return toApiError(err, reauth);
  }
  return err;
}

/** Step 7 onwards: the connector call, unit conversion and freshness headers. */
export async function runRoute(route: VehicleRoute, call: VehicleCall): Promise<RouteResult> {
  let outcome: Outcome;
  try {
    outcome = await route.handle(call);
  } catch (err) {
    throw asApiError(err, call.deps.config.publicUrl, call.access.appId, call.vehicleId);
  }
  return {
    body: inUnits(outcome.body, outcome.units ?? route.units, call.unitSystem),
    headers: freshnessHeaders(call, outcome),
    woke: outcome.woke ?? false,
  };
}
