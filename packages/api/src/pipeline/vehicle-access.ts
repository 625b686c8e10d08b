import { ApiError } from '@opencar/core';
import type { Ctx, UnitSystem, VehicleConnector } from '@opencar/connectors';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../deps.js';
import type { VehicleRoute } from '../route-spec.js';

/** Longest a vehicle call may take before UPSTREAM:NO_RESPONSE (the API's documented maximum). */
export const VEHICLE_DEADLINE_MS = 300_000;

/**
 * Step 3: the vehicle must be in the token's grant. A token never reaches another owner's or another
 * app's vehicle, and the answer does not reveal whether such a vehicle exists.
 */
export async function openVehicle(
  deps: Pick<ApiDeps, 'backend' | 'clock'>, access: AccessContext, vehicleId: string, unitSystem: UnitSystem, allowWake?: boolean,
): Promise<{ connector: VehicleConnector; ctx: Ctx }> {
  if (!access.vehicleIds.includes(vehicleId)) {
    throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No vehicle with this id is connected to this access token.' });
  }
  const connector = await deps.backend.connector(vehicleId);
  if (!connector) throw new ApiError('CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING');
  const ctx: Ctx = { vehicleId, unitSystem, appId: access.appId, deadline: deps.clock.now() + VEHICLE_DEADLINE_MS };
  if (allowWake !== undefined) ctx.allowWake = allowWake;
  return { connector, ctx };
}

/** Step 4: the endpoint's permission must be granted. */
export function requirePermission(route: Pick<VehicleRoute, 'permission'>, access: AccessContext): void {
  if (route.permission && !access.permissions.has(route.permission)) {
    throw new ApiError('PERMISSION', { description: `This endpoint needs the ${route.permission} permission, which the owner did not grant.` });
  }
}

/**
 * Step 5: capability. A vehicle that does not declare the capability cannot do it
 * (VEHICLE_NOT_CAPABLE); a vehicle that declares it on a backend without the connector method is a
 * platform gap (SMARTCAR_NOT_CAPABLE).
 */
export async function requireCapability(route: Pick<VehicleRoute, 'capability' | 'connectorMethod'>, connector: VehicleConnector, ctx: Ctx): Promise<void> {
  if (route.capability) {
    const caps = await connector.capabilities(ctx);
    if (!caps.has(route.capability)) throw new ApiError('COMPATIBILITY:VEHICLE_NOT_CAPABLE');
  }
  if (route.connectorMethod && typeof connector[route.connectorMethod] !== 'function') {
    throw new ApiError('COMPATIBILITY:SMARTCAR_NOT_CAPABLE');
  }
}
