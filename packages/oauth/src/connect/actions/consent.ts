import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadFlowForPost, sendPage, showFlow, str, trFor, type ConnectContext } from '../context.js';
import { consentPage } from '../pages/consent.js';
import { capacityProblem, finishConnected, finishWithError } from '../redirect.js';

type Req = FastifyRequest<{ Params: { flowId: string } }>;

/** POST /connect/:flowId/consent — approve (with the chosen vehicles) or deny. */
export function consentHandler(ctx: ConnectContext) {
  return async (req: Req, reply: FastifyReply) => {
    const got = await loadFlowForPost(ctx, req, reply);
    if (!got) return reply;
    const { flow, body } = got;
    const d = flow.data;
    if (d.step !== 'consent') return showFlow(reply, flow);
    if (str(body.decision) !== 'approve') {
      return finishWithError(reply, ctx.flows, flow, 'access_denied', 'User denied access to application.');
    }
    const picked = new Set((Array.isArray(body.vehicle) ? body.vehicle : [body.vehicle]).filter((v): v is string => typeof v === 'string'));
    let chosen = d.vehicles.filter((v) => v.unmet.length === 0 && picked.has(v.vehicleId)).map((v) => v.vehicleId);
    if (d.singleSelect) chosen = chosen.slice(0, 1);
    if (chosen.length === 0) {
      const tr = trFor(req, flow);
      return sendPage(reply, 400, (n) => consentPage(flow, tr, n, 'selectOne'), d.redirectUri);
    }
    const problem = await capacityProblem(ctx.repo, ctx.deps.metering, d.clientId, chosen);
    if (problem) {
      d.step = 'error';
      d.error = problem;
      await ctx.flows.save(flow);
      return showFlow(reply, flow);
    }
    return finishConnected(reply, ctx.repo, ctx.flows, ctx.deps.clock.now(), flow, chosen, ctx.deps);
  };
}
