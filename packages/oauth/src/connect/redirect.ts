import type { FastifyReply } from 'fastify';
import { ApiError, randomToken, sha256, uuid } from '@opencar/core';
import type { OAuthRepo } from '@opencar/storage';
import type { OAuthDeps } from '../deps.js';
import { CODE_TTL_MS } from '../tokens.js';
import type { Flow } from './flow.js';

/** Builds the app redirect: the registered URI (its own query kept) plus our parameters. */
export function appRedirectUrl(redirectUri: string, params: Record<string, string | number | null | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

/** Ends the flow and sends the browser back to the app (303 after a form post, 302 after a GET). */
export async function finish(reply: FastifyReply, flows: { end(f: Flow): Promise<void> }, flow: Flow, params: Record<string, string | number | null | undefined>, status: 302 | 303 = 303): Promise<FastifyReply> {
  await flows.end(flow);
  const url = appRedirectUrl(flow.data.redirectUri, { ...params, state: flow.data.state });
  return reply.code(status).header('cache-control', 'no-store').header('location', url).send();
}

/** Sends an OAuth error back to the app (wire-contract §2.3). */
export function finishWithError(reply: FastifyReply, flows: { end(f: Flow): Promise<void> }, flow: Flow, error: string, description: string, extra: Record<string, string | number | undefined> = {}, status: 302 | 303 = 303) {
  return finish(reply, flows, flow, { error, error_description: description, ...extra }, status);
}

/**
 * Records the owner's consent as a grant over the chosen vehicles and mints a single-use,
 * URL-safe authorization code (10 minutes) bound to the client, redirect URI and PKCE challenge.
 */
export async function issueCode(repo: OAuthRepo, now: number, flow: Flow, vehicleIds: string[]): Promise<string> {
  const d = flow.data;
  const grantId = await recordGrant(repo, now, flow, vehicleIds);
  const code = randomToken(32);
  await repo.createCode({
    id: uuid(), code_hash: sha256(code), app_id: d.clientId, grant_id: grantId,
    redirect_uri: d.redirectUriGiven ? d.redirectUri : null,
    code_challenge: d.codeChallenge, code_challenge_method: d.codeChallengeMethod,
    created_at: now, expires_at: now + CODE_TTL_MS, used_at: null,
  });
  return code;
}

/** Records the owner's consent as a grant over the chosen vehicles (with the app's external id for the user, v3). */
async function recordGrant(repo: OAuthRepo, now: number, flow: Flow, vehicleIds: string[]): Promise<string> {
  const d = flow.data;
  const grantId = uuid();
  await repo.createGrant({ id: grantId, appId: d.clientId, userId: d.accountId!, mode: d.mode, permissions: d.permissions, vehicleIds, externalId: d.v3?.externalId ?? null }, now);
  return grantId;
}

/**
 * Consent given: records the grant and returns to the app. v2: `code` and `state`. v3 also names
 * the user (`user_id`, which becomes the `sc-user-id` header) and echoes `external_id`; with
 * `response_type=none` no code is issued at all.
 */
export async function finishConnected(reply: FastifyReply, repo: OAuthRepo, flows: { end(f: Flow): Promise<void> }, now: number, flow: Flow, vehicleIds: string[], deps?: Pick<OAuthDeps, 'integrations' | 'log'>): Promise<FastifyReply> {
  const v3 = flow.data.v3;
  const code = !v3 || v3.responseType === 'code' ? await issueCode(repo, now, flow, vehicleIds) : (await recordGrant(repo, now, flow, vehicleIds), undefined);
  if (deps?.integrations) {
    // The consent is recorded; a failure to auto-subscribe must not undo the connection.
    try { await deps.integrations.connected(flow.data.clientId, flow.data.accountId!, vehicleIds); } catch (err) { deps.log.error({ err, appId: flow.data.clientId }, 'auto-subscribing new vehicles failed'); }
  }
  if (!v3) return finish(reply, flows, flow, { code });
  return finish(reply, flows, flow, { code, user_id: flow.data.accountId, external_id: v3.externalId });
}

/**
 * The plan's connected-vehicle cap: vehicles already connected to the app do not count again.
 * Returns the reason to stop (shown on an error page whose Exit returns configuration_error).
 */
export async function capacityProblem(repo: OAuthRepo, metering: OAuthDeps['metering'], appId: string, vehicleIds: string[]): Promise<{ statusCode: number; message: string } | undefined> {
  if (!metering) return undefined;
  const connected = new Set(await repo.appVehicleIds(appId));
  try {
    await metering.assertVehicleCapacity(appId, connected.size, vehicleIds.filter((v) => !connected.has(v)).length);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return { statusCode: err.statusCode, message: err.description };
    throw err;
  }
}
