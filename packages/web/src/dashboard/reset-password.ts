import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { devPage } from './guard.js';
import { MIN_PASSWORD } from '../services/developers.js';
import type { NewPasswordProblem } from '../services/password-resets.js';

const schema = { tags: ['Dashboard'], summary: 'Set a new password with a reset link (HTML form)' };

/**
 * The page a reset link opens: a new password under the sign-up rules. Using the link spends it,
 * ends the developer's other sessions and leads to sign-in; an unknown, used or expired link says
 * so and offers a new one.
 */
export function resetPasswordRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/dashboard/reset', { schema }, async (req, reply) => {
      const token = str((req.query ?? {}) as Record<string, string>, 'token', 200);
      const valid = await s.passwordResets.check(token);
      return valid.ok ? form(req, reply, token, undefined) : refused(req, reply, valid.reason);
    });

    app.post('/dashboard/reset', { schema }, async (req, reply) => {
      const f = formOf(req);
      const token = str(f, 'token', 200);
      const r = await s.passwordResets.reset(token, typeof f.password === 'string' ? f.password : '');
      if (r.ok) return redirect(reply, '/dashboard/signin?reset=1');
      return r.problem === 'password' ? form(req, reply, token, 'password') : refused(req, reply, r.problem);
    });
  };

  function form(req: FastifyRequest, reply: FastifyReply, token: string, problem: 'password' | undefined) {
    const { t, csrf } = ctx(req);
    return devPage(req, reply, t('reset.title'), html`<h1>${t('reset.title')}</h1>
<form method="post" action="/dashboard/reset" class="card" novalidate>${csrfInput(csrf)}<input type="hidden" name="token" value="${token}">
${field({ label: t('reset.newPassword'), name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: MIN_PASSWORD, hint: t('signup.passwordHint', { n: MIN_PASSWORD }), error: problem ? t('signup.badPassword', { n: MIN_PASSWORD }) : undefined })}
<p><button type="submit" id="set-password">${t('reset.submit')}</button></p></form>`, { status: problem ? 400 : 200 });
  }

  function refused(req: FastifyRequest, reply: FastifyReply, reason: Exclude<NewPasswordProblem, 'password'>) {
    const { t } = ctx(req);
    const message = reason === 'expired' ? t('reset.expired') : reason === 'used' ? t('reset.used') : t('reset.unknown');
    return devPage(req, reply, t('reset.title'), html`<h1>${t('reset.title')}</h1>${alert('error', message)}
<p><a class="button" href="/dashboard/forgot" id="new-link">${t('reset.askAgain')}</a></p>`, { status: 400 });
  }
}
