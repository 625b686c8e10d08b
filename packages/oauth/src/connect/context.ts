import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthRepo, AccountsRepo } from '@opencar/storage';
import { negotiateLang, translator, type Translator } from '../i18n/index.js';
import type { OAuthDeps } from '../deps.js';
import { FlowStore, type Flow } from './flow.js';
import { bindingOf, hasValidCsrf, isBoundBrowser, secureHeaders } from './security.js';
import { errorPage } from './pages/error.js';
import { stepUrl } from './steps.js';

/** Everything the Connect routes share, built once per plugin registration. */
export interface ConnectContext {
  deps: OAuthDeps;
  repo: OAuthRepo;
  accounts: AccountsRepo;
  flows: FlowStore;
}

export function connectContext(deps: OAuthDeps): ConnectContext {
  const repo = new OAuthRepo(deps.storage.db);
  return { deps, repo, accounts: new AccountsRepo(deps.storage.db), flows: new FlowStore(repo, deps.clock) };
}

export const trFor = (req: FastifyRequest, flow?: Flow): Translator =>
  translator(flow?.data.lang ?? negotiateLang(req.headers['accept-language']));

/** Renders an HTML page with the Connect security headers. */
export function sendPage(reply: FastifyReply, status: number, render: (nonce: string) => string, redirectUri?: string): FastifyReply {
  const nonce = secureHeaders(reply, redirectUri);
  return reply.code(status).type('text/html; charset=utf-8').send(render(nonce));
}

/** An error page that never redirects (no trusted flow). */
export function dead(reply: FastifyReply, req: FastifyRequest, status: number, message: (tr: Translator) => string): FastifyReply {
  const tr = trFor(req);
  return sendPage(reply, status, (nonce) => errorPage(tr, nonce, message(tr)));
}

/** Loads the flow named in the URL for this browser, or answers with an error page. */
export async function loadFlow(ctx: ConnectContext, req: FastifyRequest<{ Params: { flowId: string } }>, reply: FastifyReply): Promise<Flow | undefined> {
  const flow = await ctx.flows.load(req.params.flowId, bindingOf(req, req.params.flowId));
  if (!flow) { dead(reply, req, 404, (tr) => tr.t('flowExpired')); return undefined; }
  if (!isBoundBrowser(req, flow)) { dead(reply, req, 403, (tr) => tr.t('flowExpired')); return undefined; }
  return flow;
}

/** As loadFlow, for form posts: also checks the CSRF token. */
export async function loadFlowForPost(ctx: ConnectContext, req: FastifyRequest<{ Params: { flowId: string } }>, reply: FastifyReply): Promise<{ flow: Flow; body: Record<string, unknown> } | undefined> {
  const flow = await loadFlow(ctx, req, reply);
  if (!flow) return undefined;
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  if (!hasValidCsrf(body, flow)) { dead(reply, req, 403, (tr) => tr.t('flowExpired')); return undefined; }
  return { flow, body };
}

/** Post/redirect/get: show whatever step the flow is at now, on that step's own URL. */
export const showFlow = (reply: FastifyReply, flow: Flow) => reply.code(303).header('location', stepUrl(flow)).send();

export const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
