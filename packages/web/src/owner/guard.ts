import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '@opencar/ui';
import { ctx, redirect, WebError } from '../http/context.js';
import { sendPage } from '../views/layout.js';

/** What the owner portal keeps in the session: the OEM account used in Connect. */
export interface OwnerSessionData { make: string; email: string; mode: 'live' | 'simulated' | 'test'; vehicleIds: string[] }

export interface Owner { userId: string; data: OwnerSessionData }

export function owner(req: FastifyRequest): Owner | undefined {
  const s = ctx(req).session;
  return s && s.kind === 'owner' ? { userId: s.subjectId, data: s.data as unknown as OwnerSessionData } : undefined;
}

/** preHandler: signed-in owner, or back to the sign-in form. */
export async function requireOwner(req: FastifyRequest, reply: FastifyReply) {
  if (owner(req)) return;
  if (req.method === 'GET') return redirect(reply, '/account');
  throw new WebError(401, 'error.signedOut');
}

export function ownerPage(req: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, status = 200): FastifyReply {
  const c = ctx(req);
  const o = owner(req);
  return sendPage(reply, { lang: c.lang, t: c.t, title, area: 'account', body, who: o ? (o.data.email ? `${o.data.email} (${o.data.make})` : o.data.make) : undefined, csrf: c.csrf, path: c.path, status });
}
