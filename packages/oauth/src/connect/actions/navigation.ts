import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadFlowForPost, showFlow, str, type ConnectContext } from '../context.js';
import type { Flow } from '../flow.js';
import { finishWithError } from '../redirect.js';
import { brandName } from '../show.js';
import { reached } from '../steps.js';

type Req = FastifyRequest<{ Params: { flowId: string } }>;

/** POST /connect/:flowId/continue — past the preamble, to the brand list or straight to sign-in (`make`). */
export function continueHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow } = got;
    const d = flow.data;
    if (d.step === 'preamble') {
      const brands = ctx.deps.backend?.brands(d.country) ?? [];
      const known = d.make !== null && brands.some((b) => b.make === d.make);
      if (known && !ctx.deps.backend!.brandAvailable(d.make!, d.mode)) return unavailableBrand(ctx, reply, flow, d.make!);
      d.step = known ? 'login' : 'brand';
      await ctx.flows.save(flow);
    }
    return showFlow(reply, flow);
  };
}

/** POST /connect/:flowId/brand — the owner picked a brand. */
export function brandHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow, body } = got;
    const make = str(body.make).toUpperCase();
    const backend = ctx.deps.backend;
    // The brand list may be submitted again from a page the browser kept after Back (the flow is then further on).
    if (reached(flow, 'brand') && backend?.brands(flow.data.country).some((b) => b.make === make)) {
      if (!backend.brandAvailable(make, flow.data.mode)) return unavailableBrand(ctx, reply, flow, make);
      flow.data.make = make;
      flow.data.step = 'login';
      await ctx.flows.save(flow);
    }
    return showFlow(reply, flow);
  };
}

/** A brand that cannot be connected in the flow's mode (live mode without a real connector): vehicle_incompatible. */
function unavailableBrand(ctx: ConnectContext, reply: FastifyReply, flow: Flow, make: string) {
  return finishWithError(reply, ctx.flows, flow, 'vehicle_incompatible', `${brandName(ctx, make, flow.data.country)} vehicles cannot be connected in ${flow.data.mode} mode on this platform.`, { make });
}

/** POST /connect/:flowId/return — "Back to application" before granting. */
export function returnHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    return finishWithError(reply, ctx.flows, got.flow, 'user_manually_returned_to_application', 'User returned to the application before completing Connect.');
  };
}

/** POST /connect/:flowId/exit — "Exit" on a Connect error page. */
export function exitHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow } = got;
    if (flow.data.step !== 'error') return showFlow(reply, flow);
    const e = flow.data.error ?? { statusCode: 400, message: 'Connect could not continue.' };
    return finishWithError(reply, ctx.flows, flow, 'configuration_error', 'The user exited Connect from an error page.', { status_code: e.statusCode, error_message: e.message });
  };
}
