import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_POLICY } from '@opencar/core';
import { html } from '@opencar/ui';
import type { TeamRole } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { MIN_PASSWORD, TOS_VERSION } from '../services/developers.js';
import type { AcceptProblem, InviteView } from '../services/team.js';
import { devPage } from './guard.js';
import { roleLabel } from './members.js';

const schema = { tags: ['Dashboard'], summary: 'Accept an invitation to a team (HTML form)' };
export const INVITE_PATH = '/dashboard/invite';

/**
 * The page an invitation link opens: a new login sets a name and password (and accepts the Terms);
 * an existing login confirms its password. Accepting spends the link and signs the member in; an
 * unknown, used or expired link says so.
 */
export function inviteRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.get(INVITE_PATH, { schema }, async (req, reply) => {
      const token = str((req.query ?? {}) as Record<string, string>, 'token', 200);
      const v = await s.team.view(token);
      return v.ok ? form(req, reply, token, v, {}) : refused(req, reply, v.reason);
    });

    app.post(INVITE_PATH, { schema }, async (req, reply) => {
      const f = formOf(req);
      const token = str(f, 'token', 200);
      const name = str(f, 'name', 200);
      let throttledMs = 0;
      // Confirming an existing login's password is a sign-in: the same throttle guards it.
      const verify = async (email: string, password: string) => {
        const g = await s.deps.throttle.guard({ kind: 'developer', credential: email, address: req.ip }, PASSWORD_POLICY, () => s.developers.authenticate(email, password));
        if (!g.ok) throttledMs = g.retryAfterMs;
        return g.ok ? g.value : undefined;
      };
      const r = await s.team.accept(token, { name, password: typeof f.password === 'string' ? f.password : '', acceptTos: f.accept_tos === 'on' }, verify);
      if (!r.ok && throttledMs > 0) reply.header('retry-after', String(Math.ceil(throttledMs / 1000)));
      if (r.ok) {
        await s.sessions.start(reply, 'developer', r.developerId);
        return redirect(reply, '/dashboard?joined=1');
      }
      if (r.problem === 'unknown' || r.problem === 'used' || r.problem === 'expired' || r.problem === 'elsewhere') return refused(req, reply, r.problem);
      const v = await s.team.view(token);
      return v.ok ? form(req, reply, token, v, { name, problem: r.problem, throttled: throttledMs > 0 }) : refused(req, reply, v.reason);
    });
  };

  function form(req: FastifyRequest, reply: FastifyReply, token: string, v: Extract<InviteView, { ok: true }>, o: { name?: string; problem?: AcceptProblem; throttled?: boolean }) {
    const { t, csrf } = ctx(req);
    const p = o.problem;
    const intro = t('invite.intro', { account: v.account.name, email: v.invite.email, role: roleLabel(t, v.invite.role as TeamRole) });
    const fields = v.existing
      ? html`<p>${t('invite.existing')}</p>
<p>${t('field.email')}: <strong id="invite-email">${v.invite.email}</strong></p>
${field({ label: t('field.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password', error: o.throttled ? t('signin.throttled') : p === 'credentials' ? t('invite.badPassword') : undefined })}`
      : html`<p>${t('invite.newLogin')}</p>
${field({ label: t('field.name'), name: 'name', value: o.name ?? '', required: true, autocomplete: 'name', error: p === 'name' ? t('signup.badName') : undefined })}
${field({ label: t('field.password'), name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: MIN_PASSWORD, hint: t('signup.passwordHint', { n: MIN_PASSWORD }), error: p === 'password' ? t('signup.badPassword', { n: MIN_PASSWORD }) : undefined })}
<div class="check"><input type="checkbox" id="accept-tos" name="accept_tos"${p === 'tos' ? html` aria-invalid="true" aria-describedby="tos-err"` : ''}>
<label for="accept-tos">${t('signup.acceptTos')} <a href="/dashboard/terms" target="_blank">${t('tos.title')} (${TOS_VERSION})</a></label></div>
${p === 'tos' ? html`<small id="tos-err" class="error">${t('signup.mustAccept')}</small>` : ''}`;
    return devPage(req, reply, t('invite.title'), html`<h1>${t('invite.title', { account: v.account.name })}</h1>${p === 'credentials' && !v.existing ? alert('error', t('invite.badPassword')) : ''}
<form method="post" action="${INVITE_PATH}" class="card" novalidate id="invite-form">${csrfInput(csrf)}<input type="hidden" name="token" value="${token}">
<p id="invite-intro">${intro}</p>${fields}
<p><button type="submit" id="accept-invite">${v.existing ? t('invite.acceptExisting') : t('invite.accept')}</button></p></form>`, { status: o.throttled ? 429 : p ? 400 : 200 });
  }

  function refused(req: FastifyRequest, reply: FastifyReply, reason: 'unknown' | 'used' | 'expired' | 'elsewhere') {
    const { t } = ctx(req);
    return devPage(req, reply, t('invite.title', { account: 'opencar' }), html`<h1>${t('invite.refusedTitle')}</h1>${alert('error', t(`invite.${reason}`))}
<p><a class="button" href="/dashboard/signin" id="to-signin">${t('signin.title')}</a></p>`, { status: 400 });
  }
}
