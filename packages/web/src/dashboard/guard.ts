import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeveloperRow } from '@opencar/storage';
import type { App } from '@opencar/storage';
import type { SafeHtml } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, redirect, WebError } from '../http/context.js';
import { sendPage } from '../views/layout.js';
import { navLinks } from '../views/layout.js';

const developers = new WeakMap<FastifyRequest, DeveloperRow>();

/** preHandler for signed-in pages: an active session of a developer that is not terminated. */
export function requireDeveloper(s: WebServices) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const session = ctx(req).session;
    const dev = session && (await s.developers.get(session.subjectId));
    if (!dev || dev.status === 'terminated') {
      if (req.method === 'GET') return redirect(reply, `/dashboard/signin?next=${encodeURIComponent(req.url)}`);
      throw new WebError(401, 'error.signedOut');
    }
    developers.set(req, dev);
  };
}

export function developer(req: FastifyRequest): DeveloperRow {
  const d = developers.get(req);
  if (!d) throw new WebError(401, 'error.signedOut');
  return d;
}

/** Loads an app of the signed-in developer by `:appId`, or 404 (never another account's app). */
export async function ownedApp(s: WebServices, req: FastifyRequest): Promise<App> {
  const appId = (req.params as { appId?: string }).appId ?? '';
  const app = await s.apps.owned(developer(req).id, appId);
  if (!app) throw new WebError(404, 'error.appNotFound');
  return app;
}

export type AppTab = 'settings' | 'vehicles' | 'logs' | 'usage' | 'webhooks' | 'simulator';

/** Sends a dashboard page for the signed-in developer. */
export function devPage(req: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, o: { status?: number; nav?: SafeHtml } = {}): FastifyReply {
  const c = ctx(req);
  const dev = developers.get(req);
  const path = c.path;
  const nav = o.nav ?? (dev ? navLinks([
    { href: '/dashboard', label: c.t('nav.apps'), current: path === '/dashboard' || path.startsWith('/dashboard/apps') },
    { href: '/dashboard/plans', label: c.t('nav.plans'), current: path.startsWith('/dashboard/plans') },
    { href: '/dashboard/account', label: c.t('nav.account'), current: path.startsWith('/dashboard/account') },
  ]) : undefined);
  return sendPage(reply, { lang: c.lang, t: c.t, title, area: 'dashboard', body, who: dev?.email, csrf: c.csrf, path, nav, status: o.status });
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
    { href: `${base}/simulator`, label: t('nav.simulator'), current: current === 'simulator' },
  ]);
}
