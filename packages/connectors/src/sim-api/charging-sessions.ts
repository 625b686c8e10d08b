import type { FastifyInstance } from 'fastify';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { chargingSessions } from './service.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** `GET /simulator/vehicles/:vehicleId/charging-sessions`: each session's charge curve (SoC and power over time). */
export function chargingSessionsRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.get('/simulator/vehicles/:vehicleId/charging-sessions', {
    schema: { tags: TAGS, summary: 'Charging sessions of a simulated vehicle with their charge curves (state of charge and power over the vehicle\'s time); the last one may be in progress', security: SECURITY, params: VEHICLE_PARAMS },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    const sessions = await chargingSessions(deps.simulator, id);
    return {
      sessions: sessions.map((x) => ({
        startedAt: iso(x.startedAtMs), endedAt: x.endedAtMs === null ? null : iso(x.endedAtMs), inProgress: x.endedAtMs === null,
        startSoc: x.startSoc, endSoc: x.endSoc, chargerKw: x.chargerKw, energyKwh: x.energyKwh, location: { latitude: x.latitude, longitude: x.longitude },
        points: x.points.map((p) => ({ at: iso(p.atMs), soc: p.soc, powerKw: p.powerKw })),
      })),
    };
  });
}
