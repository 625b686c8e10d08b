import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { DeveloperRow, TeamRole } from '@opencar/storage';
import { html } from '@opencar/ui';
import { requireDeveloper } from '../src/dashboard/guard.js';
import { RouteRoles, defaultRole, lockControls } from '../src/dashboard/access.js';
import { setContext } from '../src/http/context.js';
import { translator } from '../src/i18n/index.js';
import type { WebServices } from '../src/services.js';

const login: DeveloperRow = { id: 'm1', email: 'm@example.com', name: 'M', password_hash: 'x', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 };

/** A dashboard-like server whose routes know nothing about roles, with the signed-in login in `role`. */
async function server(role: TeamRole) {
  const roles = new RouteRoles();
  const s = {
    developers: { get: async (id: string) => (id === login.id ? login : undefined) },
    team: { access: async (actor: DeveloperRow) => ({ actor, account: { ...actor, id: 'acct' }, role }) },
    routeRoles: roles,
  } as unknown as WebServices;
  const app = Fastify();
  app.addHook('onRoute', (r) => roles.declare(r.method, r.url, r.config?.role));
  app.addHook('onRequest', async (req) => {
    setContext(req, { lang: 'en', t: translator('en'), path: req.url, kind: 'developer', session: { kind: 'developer', subjectId: login.id, data: {}, id: 'sid' }, csrf: '' });
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => reply.code(err.statusCode ?? 500).send({ error: err.message }));
  const preHandler = requireDeveloper(s);
  // A section written without thinking about roles (like an integrations page added in parallel).
  app.get('/dashboard/apps/:appId/integrations', { preHandler }, async () => 'list');
  app.post('/dashboard/apps/:appId/integrations', { preHandler }, async () => 'created');
  app.delete('/dashboard/apps/:appId/integrations/:id', { preHandler }, async () => 'deleted');
  app.post('/dashboard/apps/:appId/integrations/:id/owner-thing', { preHandler, config: { role: 'owner' } }, async () => 'owned');
  await app.ready();
  return { app, roles };
}

describe('the role guard defaults to deny for changes', () => {
  it('a viewer reads an undeclared route but every other method is 403 before the handler runs', async () => {
    const { app } = await server('viewer');
    expect((await app.inject({ method: 'GET', url: '/dashboard/apps/a1/integrations' })).body).toBe('list');
    for (const [method, url] of [['POST', '/dashboard/apps/a1/integrations'], ['DELETE', '/dashboard/apps/a1/integrations/i1'], ['POST', '/dashboard/apps/a1/integrations/i1/owner-thing']] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    await app.close();
  });

  it('a developer may change undeclared routes, not owner routes; an owner may do both', async () => {
    const dev = await server('developer');
    expect((await dev.app.inject({ method: 'POST', url: '/dashboard/apps/a1/integrations' })).body).toBe('created');
    expect((await dev.app.inject({ method: 'DELETE', url: '/dashboard/apps/a1/integrations/i1' })).body).toBe('deleted');
    expect((await dev.app.inject({ method: 'POST', url: '/dashboard/apps/a1/integrations/i1/owner-thing' })).statusCode).toBe(403);
    await dev.app.close();
    const owner = await server('owner');
    expect((await owner.app.inject({ method: 'POST', url: '/dashboard/apps/a1/integrations/i1/owner-thing' })).body).toBe('owned');
    await owner.app.close();
  });

  it('knows the declared roles of concrete paths and disables or drops the controls a role may not use', async () => {
    const { app, roles } = await server('viewer');
    expect(defaultRole('GET')).toBe('viewer');
    expect(defaultRole('patch')).toBe('developer');
    expect(roles.needed('POST', '/dashboard/apps/a1/integrations/i%201/owner-thing?x=1')).toBe('owner');
    expect(roles.needed('POST', '/dashboard/apps/a1/integrations')).toBe('developer');
    expect(roles.needed('GET', '/dashboard/apps/a1/integrations')).toBe('viewer');
    const body = html`<form method="get" action="/dashboard/apps/a1/integrations"><button>Filter</button></form>
<form method="post" action="/dashboard/apps/a1/integrations" data-confirm="Sure?"><input name="x"><button>Add</button></form>
<form method="post" action="/dashboard/apps/a1/integrations/i1/owner-thing"><button>Own</button></form>
<form method="post"><button>Here</button></form>
<a href="/dashboard/apps/a1/integrations">List</a>`;
    const asViewer = lockControls(body, 'viewer', roles).value;
    expect(asViewer).toContain('<form method="get" action="/dashboard/apps/a1/integrations"><button>Filter</button></form>');
    expect(asViewer).toContain('<form method="post" action="/dashboard/apps/a1/integrations" data-locked="viewer"><fieldset class="locked" disabled><input name="x"><button>Add</button></fieldset></form>');
    expect(asViewer).not.toContain('data-confirm');
    expect(asViewer).toContain('<form method="post" data-locked="viewer"><fieldset class="locked" disabled><button>Here</button>');
    expect(lockControls(body, 'developer', roles).value).toContain('<form method="post"><button>Here</button></form>');
    expect(asViewer).toContain('<a href="/dashboard/apps/a1/integrations">List</a>');
    const asDeveloper = lockControls(body, 'developer', roles).value;
    expect(asDeveloper).toContain('<form method="post" action="/dashboard/apps/a1/integrations" data-confirm="Sure?"><input name="x">');
    expect(asDeveloper).toContain('owner-thing" data-locked="developer"><fieldset class="locked" disabled>');
    expect(lockControls(body, 'owner', roles).value).toBe(body.value);
    roles.declare('GET', '/dashboard/apps/:appId/integrations', 'developer');
    expect(lockControls(body, 'viewer', roles).value).not.toContain('<a href=');
    await app.close();
  });
});
