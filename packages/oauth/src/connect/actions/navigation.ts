import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadFlowForPost, showFlow, str, type ConnectContext } from '../context.js';
import { finishWithError } from '../redirect.js';

type Req = FastifyRequest<{ Params: { flowId: string } }>;

/** POST /connect/:flowId/continue — past the preamble, to the brand list or straight to sign-in (`make`). */
export function continueHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow } = got;
    if (flow.data.step === 'preamble') {
      const brands = ctx.deps.backend?.brands(flow.data.country) ?? [];
      const known = flow.data.make !== null && brands.some((b) => b.make === flow.data.make);
      flow.data.step = known ? 'login' : 'brand';
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
    if (flow.data.step === 'brand' && ctx.deps.backend?.brands(flow.data.country).some((b) => b.make === make)) {
      flow.data.make = make;
      flow.data.step = 'login';
      await ctx.flows.save(flow);
    }
    return showFlow(reply, flow);
  };
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
