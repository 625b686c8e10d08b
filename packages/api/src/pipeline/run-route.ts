import { VehicleError, needsReauthentication, toApiError } from '@opencar/connectors';
import { reauthenticateUrl } from '@opencar/oauth';
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

/** Connector failures surface as their catalogue errors; OEM sign-in failures carry the signed re-auth link. */
export function asApiError(err: unknown, link: { publicUrl: string; secretKey: string | undefined }, appId: string, vehicleId: string): unknown {
  if (err instanceof VehicleError) {
    const reauth = needsReauthentication(err) ? reauthenticateUrl(link.publicUrl, link.secretKey, appId, vehicleId) : undefined;
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
    throw asApiError(err, { publicUrl: call.deps.config.publicUrl, secretKey: call.deps.secretKey }, call.access.appId, call.vehicleId);
  }
  return {
    body: inUnits(outcome.body, outcome.units ?? route.units, call.unitSystem),
    headers: freshnessHeaders(call, outcome),
    woke: outcome.woke ?? false,
  };
}
