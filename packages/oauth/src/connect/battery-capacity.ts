import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmacSha256Hex, safeEqual } from '@opencar/core';
import { dead, loadFlowForPost, showFlow, str, type ConnectContext } from './context.js';
import { resolveClient } from './client.js';
import { beginFlow } from './begin.js';
import { rawQuery } from './query.js';
import { finish, finishWithError } from './redirect.js';

/** The battery-capacity link stays valid for 30 days (wire-contract §2.4). */
export const BATTERY_LINK_TTL_MS = 30 * 24 * 3600 * 1000;

const sign = (secretKey: string, clientId: string, vehicleId: string, expiresAt: number) =>
  hmacSha256Hex(secretKey, `battery-capacity:${clientId}:${vehicleId}:${expiresAt}`);

/** The `token` of a battery-capacity link: expiry plus an HMAC over client, vehicle and expiry. */
function batteryCapacityToken(secretKey: string, clientId: string, vehicleId: string, now: number): string {
  const expiresAt = now + BATTERY_LINK_TTL_MS;
  return `${expiresAt}.${sign(secretKey, clientId, vehicleId, expiresAt)}`;
}

/**
 * The URL `GET /battery/nominal_capacity` returns in `url`; the caller appends its redirect_uri.
 * @example batteryCapacityUrl('https://opencar.example', key, clientId, vehicleId, clock.now())
 */
export function batteryCapacityUrl(publicUrl: string, secretKey: string, clientId: string, vehicleId: string, now: number): string {
  const q = new URLSearchParams({ vehicle_id: vehicleId, client_id: clientId, token: batteryCapacityToken(secretKey, clientId, vehicleId, now), response_type: 'vehicle_id' });
  return `${publicUrl}/battery-capacity?${q.toString()}&redirect_uri=`;
}

function validToken(secretKey: string, clientId: string, vehicleId: string, token: string, now: number): boolean {
  const [exp, mac] = token.split('.');
  const expiresAt = Number(exp);
  return Boolean(mac) && Number.isFinite(expiresAt) && expiresAt > now && safeEqual(mac!, sign(secretKey, clientId, vehicleId, expiresAt));
}

/** GET /battery-capacity — asks the owner for the battery's usable capacity. */
export function batteryCapacityHandler(ctx: ConnectContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = rawQuery(req);
    const client = await resolveClient(ctx, req, reply, q);
    if (!client) return reply;
    const vehicleId = q('vehicle_id') ?? '';
    if (!validToken(ctx.deps.secretKey, client.app.id, vehicleId, q('token') ?? '', ctx.deps.clock.now())) {
      return dead(reply, req, 403, (tr) => tr.t('flowExpired'));
    }
    const backend = ctx.deps.backend;
    const connector = backend ? await backend.connector(vehicleId) : undefined;
    const mode = (backend && await backend.vehicle(vehicleId))?.mode ?? 'simulated';
    let capacities: number[] = [];
    let error: { statusCode: number; message: string } | null = null;
    if (connector?.nominalCapacity) {
      try {
        const reading = await connector.nominalCapacity({ vehicleId, unitSystem: 'metric' });
        capacities = reading.value.availableCapacities.map((c) => c.capacity).filter((c): c is number => typeof c === 'number');
      } catch (err) {
        req.log.warn({ err, vehicleId }, 'battery capacities unavailable');
        error = { statusCode: 502, message: 'The vehicle could not be reached. Please try again later.' };
      }
    }
    if (!error && capacities.length === 0) error = { statusCode: 404, message: 'This vehicle offers no battery capacities to choose from.' };
    return beginFlow(ctx.flows, reply, {
      kind: 'battery', clientId: client.app.id, appName: client.app.name, logoUrl: client.app.logoUrl,
      redirectUri: client.redirectUri, redirectUriGiven: client.redirectUriGiven, state: q('state') ?? null,
      permissions: [], required: [], approvalPrompt: 'auto', mode, make: null, singleSelect: false, singleSelectVin: null,
      country: 'US', user: null, codeChallenge: null, codeChallengeMethod: null, vehicleId, capacities,
      step: error ? 'error' : 'battery',
      error,
    }, ctx.deps.config.publicUrl.startsWith('https:'));
  };
}

/** POST /connect/:flowId/battery — the owner's choice, or "I don't know". */
export function batteryChoiceHandler(ctx: ConnectContext) {
  return async (req: FastifyRequest<{ Params: { flowId: string } }>, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow, body } = got;
    if (flow.data.step !== 'battery') return showFlow(reply, flow);
    const capacity = Number(str(body.capacity));
    if (str(body.decision) !== 'save' || !flow.data.capacities.includes(capacity)) {
      return finishWithError(reply, ctx.flows, flow, 'battery_capacity_no_selection', 'The user did not select a battery capacity.', { vehicle_id: flow.data.vehicleId ?? undefined });
    }
    const vehicleId = flow.data.vehicleId;
    if (vehicleId && ctx.deps.backend?.setNominalCapacity) {
      try {
        await ctx.deps.backend.setNominalCapacity(vehicleId, capacity);
      } catch (err) {
        req.log.error({ err, vehicleId }, 'battery capacity not stored');
        return finishWithError(reply, ctx.flows, flow, 'server_error', 'The battery capacity could not be saved.');
      }
    }
    return finish(reply, ctx.flows, flow, { vehicle_id: vehicleId, selected_capacity: capacity, reason: 'battery_capacity' });
  };
}
