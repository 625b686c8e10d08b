import type { FastifyReply } from 'fastify';
import type { FlowStore, NewFlowData } from './flow.js';
import { setBindingCookie } from './security.js';
import { stepUrl } from './steps.js';

/** Stores a new flow, binds it to this browser and continues on the page of its first step. */
export async function beginFlow(flows: FlowStore, reply: FastifyReply, data: NewFlowData, secure: boolean): Promise<FastifyReply> {
  const { flow, binding } = await flows.create(data);
  setBindingCookie(reply, flow, binding, secure);
  return reply.code(302).header('cache-control', 'no-store').header('location', stepUrl(flow)).send();
}
