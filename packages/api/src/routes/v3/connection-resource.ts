import { ApiError } from '@opencar/core';
import type { Capability, ConnectMode } from '@opencar/connectors';
import type { Connection } from '@opencar/oauth';
import type { ApiDeps } from '../../deps.js';

type Json = Record<string, unknown>;

/** A connection id names one connection of the caller's app; an unknown or foreign one is not found. */
export function parseConnectionId(id: string): { connectionId: string } {
  if (!/^conn_[0-9a-f]{32}$/.test(id)) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No connection with this id.' });
  return { connectionId: id };
}

/** v3 knows two modes; the deprecated v2 test mode is a simulated vehicle. */
export const v3Mode = (mode: ConnectMode | string): 'live' | 'simulated' => (mode === 'live' ? 'live' : 'simulated');

/** BEV, PHEV or ICE, from what the vehicle reports: a traction battery, a tank, or both. */
export function powertrainOf(caps: ReadonlySet<Capability>): 'BEV' | 'PHEV' | 'ICE' {
  const battery = caps.has('battery');
  const fuel = caps.has('fuel');
  return battery && fuel ? 'PHEV' : battery ? 'BEV' : 'ICE';
}

export interface VehicleFacts { make: string; model: string; year: number; powertrainType: string }

/** Make, model, year and powertrain of a vehicle through its connector (never wakes it: identity is static). */
export async function vehicleFacts(deps: Pick<ApiDeps, 'backend' | 'clock'>, vehicleId: string, appId: string): Promise<VehicleFacts | undefined> {
  const connector = await deps.backend.connector(vehicleId);
  if (!connector) return undefined;
  const ctx = { vehicleId, unitSystem: 'metric' as const, appId, allowWake: false, deadline: deps.clock.now() + 30_000 };
  const [id, caps] = await Promise.all([connector.identity(ctx), connector.capabilities(ctx)]);
  return { make: id.make.toUpperCase(), model: id.model, year: id.year, powertrainType: powertrainOf(caps) };
}

/** The JSON:API connection resource: granted permissions, user, vehicle, and links. */
export function connectionResource(publicUrl: string, c: Connection, v: VehicleFacts | undefined): Json {
  const id = c.id ?? '';
  return {
    id, type: 'connection',
    attributes: {
      connectedAt: new Date(c.connectedAt).toISOString(),
      permissions: [...c.permissions],
      user: { id: c.userId, externalId: c.externalId ?? null },
      vehicle: { make: v?.make ?? null, model: v?.model ?? null, year: v?.year ?? null, mode: v3Mode(c.mode), powertrainType: v?.powertrainType ?? null },
    },
    relationships: {
      user: { data: { id: c.userId, type: 'user' } },
      vehicle: { data: { id: c.vehicleId, type: 'vehicle' }, links: { related: `${publicUrl}/v3/vehicles/${c.vehicleId}` } },
    },
    links: { self: `${publicUrl}/v3/connections/${id}` },
  };
}
