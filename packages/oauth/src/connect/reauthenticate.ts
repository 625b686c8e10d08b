import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectMode } from '@opencar/connectors';
import type { ConnectContext } from './context.js';
import { resolveClient, type ResolvedClient } from './client.js';
import type { FlowData, NewFlowData } from './flow.js';
import { rawQuery, type QueryReader } from './query.js';
import { beginFlow } from './begin.js';
import { isSignedReauthentication } from './reauth-link.js';

const MODES: readonly string[] = ['live', 'simulated', 'test'];

/** The mode asked for (`mode`), else the app's. */
function requestedMode(q: QueryReader, appMode: string): ConnectMode {
  const asked = q('mode')?.toLowerCase();
  if (asked && MODES.includes(asked)) return asked as ConnectMode;
  return (MODES.includes(appMode) ? appMode : 'simulated') as ConnectMode;
}

/**
 * Starts a re-authentication flow: the owner signs in to the vehicle's brand again and returns to
 * the app with `vehicle_id` (no new code; existing tokens keep working). wire-contract §2.4.
 *
 * Whether the vehicle is connected to the app, and its brand, are only looked up for a link the
 * API signed for this app (`token`, see reauth-link.ts): that link opens on the brand's sign-in.
 * Any other link shows the same page whatever the vehicle id (the brand list, or sign-in for the
 * `make` it names); the connection is checked once the owner has signed in.
 */
export async function startReauth(ctx: ConnectContext, _req: FastifyRequest, reply: FastifyReply, client: ResolvedClient, q: QueryReader, vehicleId: string) {
  const { app } = client;
  const backend = ctx.deps.backend;
  const data: NewFlowData = {
    kind: 'reauth', clientId: app.id, appName: app.name, logoUrl: app.logoUrl,
    redirectUri: client.redirectUri, redirectUriGiven: client.redirectUriGiven, state: q('state') ?? null,
    permissions: [], required: [], approvalPrompt: 'auto', mode: requestedMode(q, app.mode),
    make: null, makeFixed: false, singleSelect: false, singleSelectVin: null, country: 'US', user: q('user') ?? null,
    codeChallenge: null, codeChallengeMethod: null, vehicleId, step: 'brand',
  };
  if (isSignedReauthentication(ctx.deps.secretKey, app.id, vehicleId, q('token'))) {
    const [connection] = await ctx.repo.listConnections(app.id, { vehicleId }, 1);
    const vehicle = connection && backend ? await backend.vehicle(vehicleId) : undefined;
    if (connection && vehicle) {
      Object.assign(data, { mode: connection.mode as ConnectMode, make: vehicle.make, makeFixed: true, step: 'login' });
    } else {
      data.step = 'error';
      data.error = { statusCode: 404, message: `Vehicle ${vehicleId} is not connected to ${app.name}.` };
    }
  } else {
    const make = q('make')?.trim().toUpperCase();
    if (make && backend?.brands(data.country).some((b) => b.make === make) && backend.brandAvailable(make, data.mode)) {
      Object.assign(data, { make, makeFixed: true, step: 'login' });
    }
  }
  return beginFlow(ctx.flows, reply, data, ctx.deps.config.publicUrl.startsWith('https:'));
}

/**
 * The mode a re-authentication signs in with: that of the app's connection of the vehicle when it
 * has one (a test-mode car signs in to its test account), else the flow's. Read only once the owner
 * submits their sign-in, so no page differs with it.
 */
export async function reauthenticationMode(ctx: ConnectContext, d: Pick<FlowData, 'clientId' | 'vehicleId' | 'mode'>): Promise<ConnectMode> {
  if (!d.vehicleId) return d.mode;
  const [connection] = await ctx.repo.listConnections(d.clientId, { vehicleId: d.vehicleId }, 1);
  return (connection && MODES.includes(connection.mode) ? connection.mode : d.mode) as ConnectMode;
}

/** GET /oauth/reauthenticate?response_type=vehicle_id&client_id&vehicle_id&redirect_uri&state[&token][&make][&mode]. */
export function reauthenticateHandler(ctx: ConnectContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = rawQuery(req);
    const client = await resolveClient(ctx, req, reply, q);
    if (!client) return reply;
    const vehicleId = q('vehicle_id') ?? '';
    return startReauth(ctx, req, reply, client, q, vehicleId);
  };
}
