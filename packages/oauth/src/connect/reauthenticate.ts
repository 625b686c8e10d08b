import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectMode } from '@opencar/connectors';
import type { ConnectContext } from './context.js';
import { resolveClient, type ResolvedClient } from './client.js';
import type { NewFlowData } from './flow.js';
import { rawQuery } from './query.js';
import { beginFlow } from './begin.js';

/**
 * Starts a re-authentication flow: the owner signs in to the vehicle's brand again and returns to
 * the app with `vehicle_id` (no new code; existing tokens keep working). wire-contract §2.4.
 */
export async function startReauth(ctx: ConnectContext, _req: FastifyRequest, reply: FastifyReply, client: ResolvedClient, q: (n: string) => string | undefined, vehicleId: string) {
  const { app } = client;
  const [connection] = await ctx.repo.listConnections(app.id, { vehicleId }, 1);
  const vehicle = connection && ctx.deps.backend ? await ctx.deps.backend.vehicle(vehicleId) : undefined;
  const data: NewFlowData = {
    kind: 'reauth', clientId: app.id, appName: app.name, logoUrl: app.logoUrl,
    redirectUri: client.redirectUri, redirectUriGiven: client.redirectUriGiven, state: q('state') ?? null,
    permissions: [], required: [], approvalPrompt: 'auto', mode: (connection?.mode ?? 'simulated') as ConnectMode,
    make: vehicle?.make ?? null, singleSelect: false, singleSelectVin: null, country: 'US', user: q('user') ?? null,
    codeChallenge: null, codeChallengeMethod: null, vehicleId, step: 'login',
  };
  if (!connection || !vehicle) {
    data.step = 'error';
    data.error = { statusCode: 404, message: `Vehicle ${vehicleId} is not connected to ${app.name}.` };
  }
  return beginFlow(ctx.flows, reply, data, ctx.deps.config.publicUrl.startsWith('https:'));
}

/** GET /oauth/reauthenticate?response_type=vehicle_id&client_id&vehicle_id&redirect_uri&state. */
export function reauthenticateHandler(ctx: ConnectContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = rawQuery(req);
    const client = await resolveClient(ctx, req, reply, q);
    if (!client) return reply;
    const vehicleId = q('vehicle_id') ?? '';
    return startReauth(ctx, req, reply, client, q, vehicleId);
  };
}
