import type { FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_POLICY } from '@opencar/core';
import { capabilitiesFor } from '../../permissions.js';
import { loadFlowForPost, sendPage, showFlow, str, trFor, type ConnectContext } from '../context.js';
import { loginPage, type LoginNotice } from '../pages/login.js';
import { finishWithError } from '../redirect.js';
import { proceedAfterSignIn } from '../signed-in.js';
import { oauthOf } from '../oem-sign-in.js';
import { brandName } from '../show.js';
import { reached } from '../steps.js';
import { reauthenticationMode } from '../reauthenticate.js';

type Req = FastifyRequest<{ Params: { flowId: string } }>;

/** POST /connect/:flowId/login — OEM account sign-in, throttled per account and per client address. */
export function loginHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow, body } = got;
    const d = flow.data;
    // Brands that sign in on their own page never take a password here.
    if (!reached(flow, 'login') || !d.make || oauthOf(ctx, flow)) return showFlow(reply, flow);
    const backend = ctx.deps.backend;
    if (!backend) return finishWithError(reply, ctx.flows, flow, 'server_error', 'Connect is not available right now.');
    const username = str(body.username).trim();
    const password = str(body.password);
    const tr = trFor(req, flow);
    const again = (status: number, notice: LoginNotice) =>
      sendPage(reply, status, (n) => loginPage(flow, tr, n, brandName(ctx, d.make, d.country), notice, username), d.redirectUri);

    const mode = d.kind === 'reauth' ? await reauthenticationMode(ctx, d) : d.mode;
    let checked;
    try {
      checked = await ctx.deps.throttle.guard({ kind: 'oem', credential: `${d.make}:${username}`, address: req.ip }, PASSWORD_POLICY, async () => {
        const r = await backend.signIn({
          make: d.make!, email: username, password, mode, country: d.country, appId: d.clientId,
          requested: capabilitiesFor(d.permissions), required: capabilitiesFor(d.required), vehicleId: d.kind === 'reauth' ? d.vehicleId ?? undefined : undefined,
        });
        return !r.ok && r.reason === 'bad_credentials' ? undefined : r;
      });
    } catch (err) {
      req.log.error({ err }, 'Connect sign-in failed unexpectedly');
      return finishWithError(reply, ctx.flows, flow, 'server_error', 'Connect failed unexpectedly.');
    }
    if (!checked.ok && checked.retryAfterMs > 0) {
      reply.header('retry-after', String(Math.ceil(checked.retryAfterMs / 1000)));
      return again(429, { kind: 'throttled', minutes: Math.max(1, Math.ceil(checked.retryAfterMs / 60_000)) });
    }
    if (!checked.ok) return again(401, { kind: 'failed' });
    return proceedAfterSignIn(ctx, reply, flow, checked.value);
  };
}
