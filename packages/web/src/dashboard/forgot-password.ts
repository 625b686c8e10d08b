import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, formOf, str } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { devPage } from './guard.js';

const schema = { tags: ['Dashboard'], summary: 'Request a password-reset link (HTML form)' };

/**
 * "Forgot password?": the developer gives their e-mail and a reset link is mailed when it has an
 * account. The answer is the same either way (no account enumeration); too many requests for one
 * address or from one client get 429.
 */
export function forgotPasswordRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/dashboard/forgot', { schema }, async (req, reply) => form(req, reply, '', undefined));

    app.post('/dashboard/forgot', { schema }, async (req, reply) => {
      const { t } = ctx(req);
      const email = str(formOf(req), 'email', 200);
      const r = await s.passwordResets.request(email, req.ip, (link, minutes) => ({
        subject: t('reset.mailSubject'),
        text: t('reset.mailBody', { link, minutes }),
      }));
      if (r.retryAfterMs > 0) {
        reply.header('retry-after', String(Math.ceil(r.retryAfterMs / 1000)));
        return form(req, reply, email, alert('error', t('reset.throttled')), 429);
      }
      return devPage(req, reply, t('reset.forgotTitle'), html`<h1>${t('reset.forgotTitle')}</h1>
${alert('ok', t('reset.requested'))}
<p><a href="/dashboard/signin">${t('signin.title')}</a></p>`);
    });
  };

  function form(req: FastifyRequest, reply: FastifyReply, email: string, notice: ReturnType<typeof alert> | undefined, status = 200) {
    const { t, csrf } = ctx(req);
    return devPage(req, reply, t('reset.forgotTitle'), html`<h1>${t('reset.forgotTitle')}</h1>${notice ?? ''}
<form method="post" action="/dashboard/forgot" class="card">${csrfInput(csrf)}<p>${t('reset.forgotHint')}</p>
${field({ label: t('field.email'), name: 'email', type: 'email', value: email, required: true, autocomplete: 'email' })}
<p><button type="submit" id="send-reset">${t('reset.send')}</button></p>
<p><a href="/dashboard/signin">${t('signin.title')}</a></p></form>`, { status });
  }
}
