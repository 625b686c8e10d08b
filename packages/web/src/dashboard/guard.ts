import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeveloperRow, TeamRole } from '@opencar/storage';
import type { App } from '@opencar/storage';
import { html, type SafeHtml } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, redirect, WebError } from '../http/context.js';
import { sendPage } from '../views/layout.js';
import { navLinks } from '../views/layout.js';
import { alert } from '../views/components.js';
import { roleAllows, type Access } from '../services/team.js';
import { defaultRole, lockControls, type RouteRoles } from './access.js';

const accesses = new WeakMap<FastifyRequest, Access>();
const declared = new WeakMap<FastifyRequest, RouteRoles>();

/**
 * preHandler for signed-in pages: an active session of a login that is not terminated, working in an
 * account that is not terminated, whose role there allows the route: the route's declared
 * `config.role`, else viewer for GET and developer for anything else. A refused role gets 403.
 */
export function requireDeveloper(s: WebServices) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const session = ctx(req).session;
    const actor = session && (await s.developers.get(session.subjectId));
    const a = actor && actor.status !== 'terminated' ? await s.team.access(actor) : undefined;
    if (!a) {
      if (req.method === 'GET') return redirect(reply, `/dashboard/signin?next=${encodeURIComponent(req.url)}`);
      throw new WebError(401, 'error.signedOut');
    }
    accesses.set(req, a);
    declared.set(req, s.routeRoles);
    const needed = req.routeOptions.config?.role ?? defaultRole(req.method);
    if (!roleAllows(a.role, needed)) throw new WebError(403, needed === 'owner' ? 'error.ownerOnly' : 'error.readOnly');
  };
}

function access(req: FastifyRequest): Access {
  const a = accesses.get(req);
  if (!a) throw new WebError(401, 'error.signedOut');
  return a;
}

/** The account whose data the signed-in person works on (their own, or the account they are a member of). */
export function developer(req: FastifyRequest): DeveloperRow {
  return access(req).account;
}

/** The signed-in person (their own login). */
export function actor(req: FastifyRequest): DeveloperRow {
  return access(req).actor;
}

/** The signed-in person's role in the account shown. */
export function role(req: FastifyRequest): TeamRole {
  return access(req).role;
}

/** Whether the signed-in person's role is at least `needed` (to hide controls; routes enforce it themselves). */
export function can(req: FastifyRequest, needed: TeamRole): boolean {
  const a = accesses.get(req);
  return a !== undefined && roleAllows(a.role, needed);
}

/** Loads an app of the signed-in developer by `:appId`, or 404 (never another account's app). */
export async function ownedApp(s: WebServices, req: FastifyRequest): Promise<App> {
  const appId = (req.params as { appId?: string }).appId ?? '';
  const app = await s.apps.owned(developer(req).id, appId);
  if (!app) throw new WebError(404, 'error.appNotFound');
  return app;
}

export type AppTab = 'settings' | 'vehicles' | 'logs' | 'usage' | 'webhooks' | 'integrations' | 'simulator';

/**
 * Sends a dashboard page for the signed-in developer. For a member who is not an owner, the forms and
 * links their role may not use are disabled or left out, and a note says what the role allows.
 */
export function devPage(req: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, o: { status?: number; nav?: SafeHtml } = {}): FastifyReply {
  const c = ctx(req);
  const a = accesses.get(req);
  const dev = a?.account;
  const path = c.path;
  const routeRoles = declared.get(req);
  if (a && routeRoles && a.role !== 'owner') {
    const note = alert('info', c.t(a.role === 'viewer' ? 'team.viewerNote' : 'team.developerNote', { account: a.account.name }));
    body = html`<div class="role-note" id="role-note" data-role="${a.role}">${note}</div>${lockControls(body, a.role, routeRoles)}`;
  }
  const nav = o.nav ?? (dev ? navLinks([
    { href: '/dashboard', label: c.t('nav.apps'), current: path === '/dashboard' || path.startsWith('/dashboard/apps') },
    { href: '/dashboard/plans', label: c.t('nav.plans'), current: path.startsWith('/dashboard/plans') },
    { href: '/dashboard/account', label: c.t('nav.account'), current: path.startsWith('/dashboard/account') && !path.startsWith('/dashboard/account/members') },
    { href: '/dashboard/account/members', label: c.t('nav.members'), current: path.startsWith('/dashboard/account/members') },
  ]) : undefined);
  return sendPage(reply, { lang: c.lang, t: c.t, title, area: 'dashboard', body, who: a?.actor.email, csrf: c.csrf, path, nav, status: o.status });
}

/** The tabs of one app. */
export function appTabs(req: FastifyRequest, app: App, current: AppTab): SafeHtml {
  const t = ctx(req).t;
  const base = `/dashboard/apps/${encodeURIComponent(app.id)}`;
  return navLinks([
    { href: '/dashboard', label: t('nav.allApps'), current: false },
    { href: base, label: t('nav.settings'), current: current === 'settings' },
    { href: `${base}/vehicles`, label: t('nav.vehicles'), current: current === 'vehicles' },
    { href: `${base}/logs`, label: t('nav.logs'), current: current === 'logs' },
    { href: `${base}/usage`, label: t('nav.usage'), current: current === 'usage' },
    { href: `${base}/webhooks`, label: t('nav.webhooks'), current: current === 'webhooks' },
    { href: `${base}/integrations`, label: t('nav.integrations'), current: current === 'integrations' },
    { href: `${base}/simulator`, label: t('nav.simulator'), current: current === 'simulator' },
  ]);
}
