import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_POLICY } from '@opencar/core';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { formatTime } from '../i18n/index.js';
import { actor, developer, devPage, requireDeveloper, role } from './guard.js';
import { roleLabel } from './members.js';
import { planLabel } from './plans.js';

const tags = ['Dashboard'];

/** Account page: profile, ToS record, plan (changed on the plan page), termination. */
export function accountRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get('/dashboard/account', { schema: { tags, summary: 'Developer account' }, preHandler }, async (req, reply) => page(req, reply));

    app.post('/dashboard/account/terminate', { schema: { tags, summary: 'Terminate the developer account' }, preHandler, config: { role: 'owner' } }, async (req, reply) => {
      const dev = developer(req);
      const me = actor(req);
      const f = formOf(req);
      // Re-entering the password (of whoever is signed in) is a sign-in: the same throttle guards it.
      const again = await s.deps.throttle.guard({ kind: 'developer', credential: me.email, address: req.ip }, PASSWORD_POLICY,
        () => s.developers.authenticate(me.email, typeof f.password === 'string' ? f.password : ''));
      if (!again.ok && again.retryAfterMs > 0) {
        reply.header('retry-after', String(Math.ceil(again.retryAfterMs / 1000)));
        return page(req, reply, ctx(req).t('signin.throttled'), 429);
      }
      if (!again.ok || str(f, 'confirm', 200).toLowerCase() !== me.email) return page(req, reply, ctx(req).t('account.terminateFailed'), 400);
      await s.developers.terminate(dev.id);
      for (const member of await s.team.dissolve(dev.id)) await s.sessions.endAllOf('developer', member);
      await s.sessions.endAllOf('developer', dev.id);
      await s.sessions.end(req, reply, 'developer');
      return redirect(reply, '/dashboard/signin?terminated=1');
    });
  };
}

function page(req: FastifyRequest, reply: FastifyReply, error?: string, status = 200) {
  const { t, lang, csrf } = ctx(req);
  const dev = developer(req);
  return devPage(req, reply, t('account.title'), html`${error ? alert('error', error) : ''}
<h1>${t('account.title')}</h1>
<section class="card"><dl class="kv"><dt>${t('field.name')}</dt><dd>${dev.name}</dd><dt>${t('field.email')}</dt><dd>${dev.email}</dd>
<dt>${t('account.tos')}</dt><dd>${dev.tos_version ? t('account.tosAccepted', { version: dev.tos_version, at: formatTime(lang, dev.tos_accepted_at ?? 0) }) : '—'}</dd>
<dt>${t('account.status')}</dt><dd>${dev.status}</dd></dl></section>
<section class="card"><h2>${t('account.plan')}</h2><p id="account-plan"><strong>${planLabel(t, dev.plan)}</strong></p><p><a class="button secondary" href="/dashboard/plans" id="see-plans">${t('plans.seePlans')}</a></p></section>
<section class="card" id="account-team"><h2>${t('team.title')}</h2><p>${t('team.yourRole', { role: roleLabel(t, role(req)) })}</p><p><a class="button secondary" href="/dashboard/account/members" id="see-members">${t('team.manage')}</a></p></section>
<section class="card"><h2>${t('account.terminate')}</h2><p>${t('account.terminateHint')}</p>
<form method="post" action="/dashboard/account/terminate" data-confirm="${t('account.terminateConfirm')}">${csrfInput(csrf)}
${field({ label: t('account.confirmEmail'), name: 'confirm', type: 'email', required: true, autocomplete: 'off' })}
${field({ label: t('field.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password' })}
<button type="submit" class="danger" id="terminate">${t('account.terminate')}</button></form></section>`, { status });
}
