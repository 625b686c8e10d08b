import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_POLICY, verifyPassword, type CredentialThrottle } from '@opencar/core';
import { OperatorsRepo, type OperatorRow } from '@opencar/storage';
import { html, type SafeHtml } from '@opencar/ui';
import { OperationError, runOperation, type OperationsContext } from '../operations/index.js';
import type { DeveloperDetail, DeveloperView } from '../operations/developers.js';
import { PLAN_NAMES } from '../operations/developers.js';
import type { AppView } from '../operations/apps.js';
import type { PlatformCounters } from '@opencar/storage';
import type { OperatorSession, OperatorSessions } from './session.js';
import { actionButton, csrfField, header, sendAdminPage, table } from './views.js';

const hide = { schema: { hide: true } };
type Form = Record<string, unknown>;
const field = (f: Form, name: string) => (typeof f[name] === 'string' ? (f[name] as string).trim() : '');
const limitText = (v: unknown) => (v === null ? 'unlimited' : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

interface Signed { session: OperatorSession; operator: OperatorRow; csrf: string }

/**
 * The admin page: platform counters, developers and apps, and the operator operations as forms.
 * Only operator accounts (created with `opencar operators add`) sign in; there is no sign-up.
 */
export function adminPages(ctx: OperationsContext, sessions: OperatorSessions, throttle: CredentialThrottle) {
  const operators = new OperatorsRepo(ctx.storage.db);
  const run = (name: string, args: Record<string, unknown>) => runOperation(ctx, name, args);

  /** The signed-in operator, or a redirect to the sign-in page; POSTs must carry the session's CSRF token. */
  async function signed(req: FastifyRequest, reply: FastifyReply): Promise<Signed | undefined> {
    const session = await sessions.load(req);
    const operator = session && await operators.get(session.operatorId);
    if (!session || !operator) {
      if (req.method === 'POST') { sendAdminPage(reply, 'Signed out', html`<h1>Signed out</h1><p><a href="/admin/signin">Sign in again</a></p>`, 401); return undefined; }
      reply.redirect('/admin/signin', 303);
      return undefined;
    }
    const csrf = sessions.csrfToken(req, reply, session);
    if (req.method === 'POST' && !sessions.checkCsrf(req, session, ((req.body ?? {}) as Form)._csrf)) {
      sendAdminPage(reply, 'Refused', html`<h1>Refused</h1><p>The form expired or came from another site. <a href="/admin">Back</a></p>`, 403);
      return undefined;
    }
    return { session, operator, csrf };
  }

  function signInPage(req: FastifyRequest, reply: FastifyReply, email: string, error: string | undefined, status = 200) {
    const csrf = sessions.csrfToken(req, reply, undefined);
    return sendAdminPage(reply, 'Sign in', html`<h1>opencar admin</h1>${error ? html`<p class="bad" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/signin" class="card">${csrfField(csrf)}
<label>E-mail <input type="email" name="email" value="${email}" required autocomplete="username"></label>
<label>Password <input type="password" name="password" required autocomplete="current-password"></label>
<p><button type="submit">Sign in</button></p></form>
<p>Operator accounts are created on the server: <code>opencar operators add you@example.com</code></p>`, status);
  }

  async function result(reply: FastifyReply, s: Signed, back: string, fn: () => Promise<SafeHtml>): Promise<FastifyReply> {
    try {
      return sendAdminPage(reply, 'Done', html`${header(s.operator.email, s.csrf)}${await fn()}<p><a href="${back}">Back</a></p>`);
    } catch (err) {
      if (!(err instanceof OperationError)) throw err;
      const status = err.kind === 'not_found' ? 404 : err.kind === 'conflict' ? 409 : 400;
      return sendAdminPage(reply, 'Refused', html`${header(s.operator.email, s.csrf)}<h1>Refused</h1><p class="bad" role="alert">${err.message}</p><p><a href="${back}">Back</a></p>`, status);
    }
  }

  return async (app: FastifyInstance) => {
    app.get('/admin/signin', hide, async (req, reply) => signInPage(req, reply, '', undefined));

    app.post('/admin/signin', hide, async (req, reply) => {
      const f = (req.body ?? {}) as Form;
      const email = field(f, 'email').toLowerCase().slice(0, 200);
      if (!sessions.checkCsrf(req, undefined, f._csrf)) return signInPage(req, reply, email, 'The form expired; try again.', 403);
      const password = typeof f.password === 'string' ? f.password : '';
      const checked = await throttle.guard({ kind: 'operator', credential: email, address: req.ip }, PASSWORD_POLICY, async () => {
        const o = await operators.findByEmail(email);
        return o && (await verifyPassword(password, o.password_hash)) ? o : undefined;
      });
      if (!checked.ok && checked.retryAfterMs > 0) {
        reply.header('retry-after', String(Math.ceil(checked.retryAfterMs / 1000)));
        return signInPage(req, reply, email, 'Too many failed sign-ins; wait and try again.', 429);
      }
      if (!checked.ok) return signInPage(req, reply, email, 'E-mail or password is wrong.', 401);
      await sessions.start(reply, checked.value.id);
      return reply.redirect('/admin', 303);
    });

    app.post('/admin/signout', hide, async (req, reply) => {
      const s = await signed(req, reply);
      if (!s) return reply;
      await sessions.end(req, reply);
      return reply.redirect('/admin/signin', 303);
    });

    app.get('/admin', hide, async (req, reply) => {
      const s = await signed(req, reply);
      if (!s) return reply;
      const k = await run('platform.counters', {}) as PlatformCounters;
      const devs = await run('developers.list', {}) as DeveloperView[];
      const apps = await run('apps.list', {}) as AppView[];
      const tile = (label: string, value: number, bad = false) => html`<div class="tile"><b${bad && value > 0 ? html` class="bad"` : ''}>${value}</b>${label}</div>`;
      return sendAdminPage(reply, 'Platform', html`${header(s.operator.email, s.csrf)}<h1>Platform</h1>
<div class="grid" id="counters">${tile('developers', k.developers)}${tile('suspended', k.suspendedDevelopers, true)}${tile('apps', k.apps)}${tile('connected vehicles', k.connectedVehicles)}
${tile('requests today', k.requestsToday)}${tile('5xx answers today', k.errorsToday, true)}${tile('webhook backlog', k.webhookBacklog, true)}${tile('webhook dead letters', k.webhookDeadLetters, true)}</div>
<h2>Developers</h2>${table(['E-mail', 'Plan', 'Status', 'Apps', 'Created'], devs.map((d) => [html`<a href="/admin/developers/${d.id}">${d.email}</a>`, html`${d.plan}`, html`<span class="${d.status === 'active' ? 'ok' : 'bad'}">${d.status}</span>`, html`${d.apps}`, html`${d.createdAt.slice(0, 10)}`]))}
<h2>Applications</h2>${table(['Name', 'Client id', 'Developer', 'Mode', 'Vehicles'], apps.map((a) => [html`<a href="/admin/apps/${a.id}">${a.name}</a>`, html`<code>${a.id}</code>`, html`${a.developerEmail}`, html`${a.mode}`, html`${a.connectedVehicles}`]))}`);
    });

    app.get<{ Params: { id: string } }>('/admin/developers/:id', hide, async (req, reply) => {
      const s = await signed(req, reply);
      if (!s) return reply;
      let d: DeveloperDetail;
      try { d = await run('developers.show', { developer: req.params.id }) as DeveloperDetail; } catch (err) {
        if (err instanceof OperationError) return sendAdminPage(reply, 'Not found', html`${header(s.operator.email, s.csrf)}<h1>Not found</h1><p>${err.message}</p>`, 404);
        throw err;
      }
      const l = d.effectiveLimits;
      const o = d.planLimits ?? {};
      const limitInput = (name: string, label: string, value: unknown) => html`<label>${label} <input name="${name}" value="${limitText(value)}" placeholder="plan default"></label>`;
      const base = `/admin/developers/${d.id}`;
      return sendAdminPage(reply, d.email, html`${header(s.operator.email, s.csrf)}<h1>${d.email}</h1>
<div class="card"><p>${d.name} · plan <b>${d.plan}</b> · <span class="${d.status === 'active' ? 'ok' : 'bad'}">${d.status}</span> · created ${d.createdAt.slice(0, 10)}</p>
<p>Limits in force: ${limitText(l.requestsPerMonth)} requests a month per app, ${limitText(l.vehicles)} vehicles, ${limitText(l.vehicleRequestsPerMonth)} requests per vehicle,
${l.pricePerRequestCents} ¢ a request, app bucket ${l.appBucket.capacity}/${l.appBucket.refillPerMinute} a minute, vehicle bucket ${l.vehicleBucket ? `${l.vehicleBucket.capacity}/${l.vehicleBucket.refillPerMinute}` : 'none'}, features ${l.features.join(', ') || 'none'}.</p>
${d.status === 'suspended' ? actionButton(`${base}/reinstate`, 'Reinstate', s.csrf) : d.status === 'active' ? actionButton(`${base}/suspend`, 'Suspend', s.csrf, {}, true) : ''}
${actionButton(`${base}/reset-password`, 'Reset dashboard password', s.csrf)}</div>
<form method="post" action="${base}/plan" class="card">${csrfField(s.csrf)}<label>Plan <select name="plan">${PLAN_NAMES.map((p) => html`<option${p === d.plan ? html` selected` : ''}>${p}</option>`)}</select></label><button type="submit">Set plan</button></form>
<form method="post" action="${base}/limits" class="card">${csrfField(s.csrf)}<p>Overrides (empty: the plan's value; "unlimited" where allowed)</p>
${limitInput('requestsPerMonth', 'Requests a month per app', o.requestsPerMonth)}${limitInput('vehicleRequestsPerMonth', 'Requests a month per vehicle', o.vehicleRequestsPerMonth)}
${limitInput('vehicles', 'Vehicles per app', o.vehicles)}${limitInput('pricePerRequestCents', 'Price per request (cents)', o.pricePerRequestCents)}
<button type="submit">Set limits</button></form>
<h2>Applications</h2>${table(['Name', 'Client id', 'Mode', 'Vehicles'], d.appList.map((a) => [html`<a href="/admin/apps/${a.id}">${a.name}</a>`, html`<code>${a.id}</code>`, html`${a.mode}`, html`${a.connectedVehicles}`]))}`);
    });

    const devAction = (path: string, op: string, args: (f: Form) => Record<string, unknown>, done: (r: unknown) => SafeHtml) =>
      app.post<{ Params: { id: string } }>(`/admin/developers/:id/${path}`, hide, async (req, reply) => {
        const s = await signed(req, reply);
        if (!s) return reply;
        const f = (req.body ?? {}) as Form;
        return result(reply, s, `/admin/developers/${req.params.id}`, async () => done(await run(op, { developer: req.params.id, ...args(f) })));
      });
    const devLine = (r: unknown) => { const d = r as DeveloperView; return html`<h1>${d.email}</h1><p>Plan ${d.plan}, ${d.status}.</p>`; };
    devAction('plan', 'developers.set-plan', (f) => ({ plan: field(f, 'plan') }), devLine);
    app.post<{ Params: { id: string } }>('/admin/developers/:id/limits', hide, async (req, reply) => {
      const s = await signed(req, reply);
      if (!s) return reply;
      const f = (req.body ?? {}) as Form;
      return result(reply, s, `/admin/developers/${req.params.id}`, async () => {
        // The form holds the four counts; bucket and feature overrides (set with the CLI) are kept.
        const current = (await run('developers.show', { developer: req.params.id }) as DeveloperDetail).planLimits ?? {};
        const kept = Object.fromEntries(Object.entries(current).filter(([k]) => !LIMIT_FIELDS.includes(k)));
        return devLine(await run('developers.set-limits', { developer: req.params.id, limits: { ...kept, ...limitsFromForm(f) }, clear: true }));
      });
    });
    devAction('suspend', 'developers.suspend', () => ({}), devLine);
    devAction('reinstate', 'developers.reinstate', () => ({}), devLine);
    devAction('reset-password', 'developers.reset-password', () => ({}), (r) => {
      const x = r as { developer: DeveloperView; password: string; endedSessions: number };
      return html`<h1>${x.developer.email}</h1><p>New dashboard password (shown once):</p><p class="secret" id="secret">${x.password}</p><p>${x.endedSessions} dashboard session(s) ended.</p>`;
    });

    app.get<{ Params: { id: string } }>('/admin/apps/:id', hide, async (req, reply) => {
      const s = await signed(req, reply);
      if (!s) return reply;
      let a: AppView & { defaultScope: string[] };
      try { a = await run('apps.show', { app: req.params.id }) as typeof a; } catch (err) {
        if (err instanceof OperationError) return sendAdminPage(reply, 'Not found', html`${header(s.operator.email, s.csrf)}<h1>Not found</h1><p>${err.message}</p>`, 404);
        throw err;
      }
      const base = `/admin/apps/${a.id}`;
      return sendAdminPage(reply, a.name, html`${header(s.operator.email, s.csrf)}<h1>${a.name}</h1>
<div class="card"><p>Client id <code>${a.id}</code> · ${a.mode} · ${a.connectedVehicles} connected vehicle(s) · developer <a href="/admin/developers/${a.developerId}">${a.developerEmail}</a></p>
<p>Redirect URIs: ${a.redirectUris.join(' ')}</p><p>Default scope: ${a.defaultScope.join(' ')}</p>
${actionButton(`${base}/rotate-secret`, 'Rotate client secret', s.csrf)} ${actionButton(`${base}/rotate-amt`, 'Rotate management token', s.csrf)}</div>
<form method="post" action="${base}/delete" class="card">${csrfField(s.csrf)}<p>Deleting disconnects every vehicle and revokes every token. Type the client id to confirm.</p>
<label>Client id <input name="confirm" autocomplete="off"></label><button type="submit" class="danger">Delete application</button></form>`);
    });

    const appAction = (path: string, op: string, done: (r: unknown) => SafeHtml) =>
      app.post<{ Params: { id: string } }>(`/admin/apps/:id/${path}`, hide, async (req, reply) => {
        const s = await signed(req, reply);
        if (!s) return reply;
        const f = (req.body ?? {}) as Form;
        return result(reply, s, path === 'delete' ? '/admin' : `/admin/apps/${req.params.id}`, async () => {
          if (path === 'delete' && field(f, 'confirm') !== req.params.id) throw new OperationError('invalid', 'type the client id to confirm the deletion');
          return done(await run(op, { app: req.params.id }));
        });
      });
    appAction('rotate-secret', 'apps.rotate-secret', (r) => html`<h1>New client secret</h1><p>Shown once; the old secret no longer works.</p><p class="secret" id="secret">${(r as { clientSecret: string }).clientSecret}</p>`);
    appAction('rotate-amt', 'apps.rotate-amt', (r) => html`<h1>New management token</h1><p>Shown once; webhook signatures now use it.</p><p class="secret" id="secret">${(r as { amt: string }).amt}</p>`);
    appAction('delete', 'apps.delete', (r) => html`<h1>Deleted</h1><p>Application <code>${(r as { clientId: string }).clientId}</code> is deleted; its vehicles are disconnected.</p>`);
  };
}

/** The limits form: empty fields are left to the plan, "unlimited" is no limit, anything else must be a whole number. */
const LIMIT_FIELDS = ['requestsPerMonth', 'vehicleRequestsPerMonth', 'vehicles', 'pricePerRequestCents'];

function limitsFromForm(f: Form): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of LIMIT_FIELDS) {
    const v = field(f, k);
    if (v === '') continue;
    if (v === 'unlimited' && k !== 'pricePerRequestCents') out[k] = null;
    else if (/^\d{1,12}$/.test(v)) out[k] = Number(v);
    else throw new OperationError('invalid', `${k} must be a whole number${k === 'pricePerRequestCents' ? '' : ' or unlimited'}, got "${v.slice(0, 40)}"`);
  }
  return out;
}
