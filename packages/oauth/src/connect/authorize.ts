import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectMode } from '@opencar/connectors';
import { parseScope } from '../permissions.js';
import type { ConnectContext } from './context.js';
import { resolveClient, type ResolvedClient } from './client.js';
import type { NewFlowData } from './flow.js';
import { beginFlow } from './begin.js';
import { parseFlags, rawQuery, type QueryReader } from './query.js';
import { startReauth } from './reauthenticate.js';

const MODES: readonly ConnectMode[] = ['live', 'simulated', 'test'];
const PKCE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** An API v3 Connect request: it names the app by `application_id`, gives an `external_id` or asks for no code. */
const v3Request = (q: QueryReader) => q('application_id') !== undefined || q('external_id') !== undefined || q('response_type') === 'none';

/** Validates the authorize parameters; a problem becomes a Connect error page with "Exit". */
function readRequest(client: ResolvedClient, q: QueryReader): { data: NewFlowData; problem: string | null } {
  const problems: string[] = q.repeated.map((n) => `Parameter ${n} appears more than once.`);
  const { app } = client;
  const scopeText = q('scope') ?? app.defaultScope.join(' ');
  const scope = parseScope(scopeText);
  if (scope.unknown.length) problems.push(`Unknown permission(s) in scope: ${scope.unknown.join(', ')}.`);
  if (!scope.permissions.length) problems.push('The request asks for no permissions (scope is empty).');
  const prompt = (q('approval_prompt') ?? 'auto').toLowerCase();
  if (prompt !== 'auto' && prompt !== 'force') problems.push(`approval_prompt must be auto or force, got "${prompt}".`);
  // Without `mode`, Connect uses the app's mode (Smartcar's default is live).
  const appMode: ConnectMode = MODES.includes(app.mode as ConnectMode) ? app.mode as ConnectMode : 'simulated';
  const mode = (q('mode') ?? appMode).toLowerCase() as ConnectMode;
  if (!MODES.includes(mode)) problems.push(`mode must be live, simulated or test, got "${mode}".`);
  const singleSelectRaw = (q('single_select') ?? 'false').toLowerCase();
  if (singleSelectRaw !== 'true' && singleSelectRaw !== 'false') problems.push(`single_select must be true or false, got "${singleSelectRaw}".`);
  const singleSelectVin = q('single_select_vin')?.trim().toUpperCase() || null;
  const flags = parseFlags(q('flags'));
  const country = /^[A-Za-z]{2}$/.test(flags.country ?? '') ? flags.country!.toUpperCase() : 'US';
  const challenge = q('code_challenge') ?? null;
  const method = challenge ? (q('code_challenge_method') ?? 'plain') : null;
  if (challenge && !PKCE_CHALLENGE.test(challenge)) problems.push('code_challenge must be 43-128 characters of [A-Z a-z 0-9 - . _ ~].');
  if (challenge && method !== 'S256') problems.push('Only the S256 code_challenge_method is supported.');
  const state = q('state') ?? null;
  if (state && state.length > 4096) problems.push('state is longer than 4096 characters.');
  const externalId = q('external_id') ?? null;
  if (externalId !== null && (externalId.length === 0 || externalId.length > 255)) problems.push('external_id must be 1 to 255 characters.');
  const data: NewFlowData = {
    kind: 'connect', clientId: app.id, appName: app.name, logoUrl: app.logoUrl,
    redirectUri: client.redirectUri, redirectUriGiven: client.redirectUriGiven, state,
    permissions: scope.permissions, required: scope.required,
    approvalPrompt: prompt === 'force' ? 'force' : 'auto', mode: MODES.includes(mode) ? mode : appMode,
    make: q('make')?.trim().toUpperCase() || null,
    singleSelect: singleSelectRaw === 'true' || singleSelectVin !== null, singleSelectVin,
    country, user: q('user') ?? null, codeChallenge: challenge, codeChallengeMethod: method,
    vehicleId: null, step: 'preamble',
    v3: v3Request(q) ? { responseType: q('response_type') === 'none' ? 'none' : 'code', externalId } : null,
  };
  return { data, problem: problems.length ? problems.join(' ') : null };
}

/** GET /oauth/authorize (wire-contract §2.1). */
export function authorizeHandler(ctx: ConnectContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = rawQuery(req);
    const client = await resolveClient(ctx, req, reply, q);
    if (!client) return reply;
    // v3 Connect defaults to a code; `none` returns only user_id (and external_id) to the app.
    const responseType = q('response_type') ?? (q('application_id') !== undefined ? 'code' : undefined);
    // A previously connected vehicle id in response_type asks for re-authentication (DOCS).
    if (responseType && responseType !== 'code' && responseType !== 'none') {
      return startReauth(ctx, req, reply, client, q, responseType === 'vehicle_id' ? q('vehicle_id') ?? '' : responseType);
    }
    const { data, problem } = readRequest(client, q);
    if (!responseType) data.error = { statusCode: 400, message: 'response_type is required and must be "code" (or "none" with API v3).' };
    else if (problem) data.error = { statusCode: 400, message: problem };
    if (data.error) data.step = 'error';
    data.makeFixed = data.make !== null && (ctx.deps.backend?.brands(data.country).some((b) => b.make === data.make) ?? false);
    if (!data.error && data.singleSelectVin && ctx.deps.backend) {
      // single_select_vin overrides make: the brand is the VIN's.
      const decoded = ctx.deps.backend.capabilitiesForVin(data.singleSelectVin, data.country);
      if (decoded && 'make' in decoded) { data.make = decoded.make; data.makeFixed = true; }
    }
    return beginFlow(ctx.flows, reply, data, ctx.deps.config.publicUrl.startsWith('https:'));
  };
}
