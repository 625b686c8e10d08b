import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_POLICY } from '@opencar/core';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { devPage } from './guard.js';

const schema = { tags: ['Dashboard'], summary: 'Developer sign-in (HTML form)' };

/** Only same-site dashboard paths are followed after sign-in (no open redirect). */
function safeNext(next: string): string {
  return /^\/dashboard(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : '/dashboard';
}

export function signInRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/dashboard/signin', { schema }, async (req, reply) => {
      const next = str((req.query ?? {}) as Record<string, string>, 'next', 500);
      const q = (req.query ?? {}) as Record<string, string>;
      return form(req, reply, '', next, undefined, 200, q.reset === '1');
    });

    app.post('/dashboard/signin', { schema }, async (req, reply) => {
      const f = formOf(req);
      const email = str(f, 'email', 200).toLowerCase();
      const next = str(f, 'next', 500);
      const { t } = ctx(req);
      const checked = await s.deps.throttle.guard({ kind: 'developer', credential: email, address: req.ip }, PASSWORD_POLICY,
        () => s.developers.authenticate(email, typeof f.password === 'string' ? f.password : ''));
      if (!checked.ok && checked.retryAfterMs > 0) {
        reply.header('retry-after', String(Math.ceil(checked.retryAfterMs / 1000)));
        return form(req, reply, email, next, t('signin.throttled'), 429);
      }
      if (!checked.ok) return form(req, reply, email, next, t('signin.failed'), 401);
      await s.sessions.start(reply, 'developer', checked.value.id);
      return redirect(reply, safeNext(next));
    });

    app.post('/dashboard/signout', { schema: { tags: ['Dashboard'], summary: 'Sign out' } }, async (req, reply) => {
      await s.sessions.end(req, reply, 'developer');
      return redirect(reply, '/dashboard/signin');
    });
  };

  function form(req: FastifyRequest, reply: FastifyReply, email: string, next: string, error: string | undefined, status = 200, wasReset = false) {
    const { t, csrf } = ctx(req);
    return devPage(req, reply, t('signin.title'), html`<h1>${t('signin.title')}</h1>${error ? alert('error', error) : ''}${wasReset ? alert('ok', t('reset.done')) : ''}
<form method="post" action="/dashboard/signin" class="card">${csrfInput(csrf)}<input type="hidden" name="next" value="${next}">
${field({ label: t('field.email'), name: 'email', type: 'email', value: email, required: true, autocomplete: 'username' })}
${field({ label: t('field.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password' })}
<p><button type="submit" id="sign-in-button">${t('signin.submit')}</button> <a href="/dashboard/forgot" id="forgot-password">${t('reset.forgotLink')}</a></p>
<p>${t('signin.noAccount')} <a href="/dashboard/signup">${t('signup.title')}</a></p></form>`, { status });
  }
}
