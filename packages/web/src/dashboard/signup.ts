import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { devPage } from './guard.js';
import { MIN_PASSWORD, TOS_VERSION, type SignUpProblem } from '../services/developers.js';

const schema = { tags: ['Dashboard'], summary: 'Developer sign-up (HTML form)' };

/** Sign up with e-mail, name and password; the ToS version and acceptance time are recorded. */
export function signUpRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/dashboard/signup', { schema }, async (req, reply) => reply.send(form(req, reply, {}, [])));

    app.post('/dashboard/signup', { schema }, async (req, reply) => {
      const f = formOf(req);
      const values = { name: str(f, 'name', 100), email: str(f, 'email', 200) };
      const result = await s.developers.signUp({ ...values, password: typeof f.password === 'string' ? f.password : '', acceptTos: f.accept_tos === 'on' });
      if (!result.ok) return form(req, reply, values, result.problems);
      await s.sessions.start(reply, 'developer', result.developer.id);
      return redirect(reply, '/dashboard?welcome=1');
    });

    app.get('/dashboard/terms', { schema: { tags: ['Dashboard'], summary: 'Terms of Service' } }, async (req, reply) => {
      const { t } = ctx(req);
      return devPage(req, reply, t('tos.title'), html`<h1>${t('tos.title')}</h1><p class="muted">${t('tos.version', { version: TOS_VERSION })}</p>
<div class="card"><p>${t('tos.p1')}</p><p>${t('tos.p2')}</p><p>${t('tos.p3')}</p></div><p><a href="/dashboard/signup">${t('signup.title')}</a></p>`);
    });
  };

  function form(req: Parameters<typeof ctx>[0], reply: Parameters<typeof devPage>[1], v: { name?: string; email?: string }, problems: SignUpProblem[]) {
    const { t, csrf } = ctx(req);
    const has = (p: SignUpProblem) => problems.includes(p);
    return devPage(req, reply, t('signup.title'), html`<h1>${t('signup.title')}</h1>
${has('taken') ? alert('error', t('signup.taken')) : ''}
<form method="post" action="/dashboard/signup" class="card" novalidate>${csrfInput(csrf)}
${field({ label: t('field.name'), name: 'name', value: v.name, required: true, autocomplete: 'name', error: has('name') ? t('signup.badName') : undefined })}
${field({ label: t('field.email'), name: 'email', type: 'email', value: v.email, required: true, autocomplete: 'email', error: has('email') ? t('signup.badEmail') : undefined })}
${field({ label: t('field.password'), name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: MIN_PASSWORD, hint: t('signup.passwordHint', { n: MIN_PASSWORD }), error: has('password') ? t('signup.badPassword', { n: MIN_PASSWORD }) : undefined })}
<div class="check"><input type="checkbox" id="accept-tos" name="accept_tos"${has('tos') ? html` aria-invalid="true" aria-describedby="tos-err"` : ''}>
<label for="accept-tos">${t('signup.acceptTos')} <a href="/dashboard/terms" target="_blank">${t('tos.title')} (${TOS_VERSION})</a></label></div>
${has('tos') ? html`<small id="tos-err" class="error">${t('signup.mustAccept')}</small>` : ''}
<p><button type="submit" id="sign-up-button">${t('signup.submit')}</button></p>
<p>${t('signup.haveAccount')} <a href="/dashboard/signin">${t('signin.title')}</a></p></form>`, { status: problems.length ? 400 : 200 });
  }
}
