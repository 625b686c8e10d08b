import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken, safeEqual } from '@opencar/core';
import type { OAuthSignIn } from '@opencar/connectors';
import type { Lang } from '../i18n/index.js';
import { dead, loadFlow, showFlow, str, trFor, type ConnectContext } from './context.js';
import type { Flow } from './flow.js';
import { finishWithError } from './redirect.js';
import { proceedAfterSignIn } from './signed-in.js';
import { reached } from './steps.js';

/**
 * Sign-in on the brand's own login page (OAuth 2.0 authorization code + PKCE), for brands whose
 * real vehicles are reached that way (Tesla in live mode):
 * 1. `GET /connect/:flowId/oem` sends the browser to the brand with a fresh state and PKCE challenge;
 * 2. the brand returns to the one callback registered with it, `GET /connect/oem/:make/callback`,
 *    which forwards to the flow's own path (where the browser's flow cookie is sent) — or, for an
 *    owner-portal sign-in (state `p.…`), to `/account/oem/:make/return`;
 * 3. `GET /connect/:flowId/oem/return` checks the state, has the code exchanged, and continues
 *    Connect as after a password sign-in (vehicles, consent).
 */
type FlowReq = FastifyRequest<{ Params: { flowId: string } }>;

const LOCALES: Record<Lang, string> = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL', es: 'es-ES' };

/** The OAuth sign-in of the flow's brand, for a brand whose owners sign in on its own page. */
export function oauthOf(ctx: ConnectContext, flow: Flow): OAuthSignIn | undefined {
  const d = flow.data;
  return d.make ? ctx.deps.backend?.oauthSignIn?.(d.make, d.mode) : undefined;
}

export function oemStartHandler(ctx: ConnectContext) {
  return async (req: FlowReq, reply: FastifyReply) => {
    const flow = await loadFlow(ctx, req, reply);
    if (!flow) return reply;
    const oauth = oauthOf(ctx, flow);
    if (!oauth || !reached(flow, 'login')) return showFlow(reply, flow);
    flow.data.step = 'login';
    const state = `c.${flow.id}.${randomToken(24)}`;
    const { url, verifier } = oauth.begin({ permissions: flow.data.permissions, state, locale: LOCALES[trFor(req, flow).lang] });
    flow.data.oem = { state, verifier, failed: false };
    await ctx.flows.save(flow);
    return reply.code(302).header('cache-control', 'no-store').header('location', url).send();
  };
}

export function oemCallbackHandler(_ctx: ConnectContext) {
  return async (req: FastifyRequest<{ Params: { make: string }; Querystring: Record<string, unknown> }>, reply: FastifyReply) => {
    const make = req.params.make.toLowerCase();
    const state = str(req.query.state);
    const query = new URLSearchParams();
    for (const k of ['code', 'state', 'error', 'error_description']) if (str(req.query[k])) query.set(k, str(req.query[k]));
    const flowId = /^c\.([0-9a-f-]{36})\./.exec(state)?.[1];
    if (flowId) return reply.code(303).header('cache-control', 'no-store').header('location', `/connect/${flowId}/oem/return?${query.toString()}`).send();
    if (state.startsWith('p.')) return reply.code(303).header('cache-control', 'no-store').header('location', `/account/oem/${make}/return?${query.toString()}`).send();
    return dead(reply, req, 400, (tr) => tr.t('flowExpired'));
  };
}

export function oemReturnHandler(ctx: ConnectContext) {
  return async (req: FastifyRequest<{ Params: { flowId: string }; Querystring: Record<string, unknown> }>, reply: FastifyReply) => {
    const flow = await loadFlow(ctx, req, reply);
    if (!flow) return reply;
    const d = flow.data;
    const pending = d.oem;
    const oauth = oauthOf(ctx, flow);
    if (!oauth || !pending || d.step !== 'login' || !safeEqual(str(req.query.state), pending.state)) return dead(reply, req, 400, (tr) => tr.t('flowExpired'));
    d.oem = null;
    const error = str(req.query.error);
    if (error === 'access_denied' || error === 'login_cancelled') {
      return finishWithError(reply, ctx.flows, flow, 'access_denied', 'The owner did not allow access at the brand\'s sign-in.', {}, 302);
    }
    const code = str(req.query.code);
    if (!code) {
      d.oem = { ...pending, failed: true };
      await ctx.flows.save(flow);
      return showFlow(reply, flow);
    }
    let result;
    try {
      result = await oauth.complete({ appId: d.clientId, code, verifier: pending.verifier });
    } catch (err) {
      req.log.error({ err }, 'Connect brand sign-in failed unexpectedly');
      return finishWithError(reply, ctx.flows, flow, 'server_error', 'Connect failed unexpectedly.', {}, 302);
    }
    if (!result.ok && result.reason === 'bad_credentials') {
      d.oem = { ...pending, failed: true };
      await ctx.flows.save(flow);
      return showFlow(reply, flow);
    }
    return proceedAfterSignIn(ctx, reply, flow, result);
  };
}
