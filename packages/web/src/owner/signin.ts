import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_POLICY } from '@opencar/core';
import { html } from '@opencar/ui';
import type { Brand } from '@opencar/connectors';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect, str } from '../http/context.js';
import { alert, csrfInput, field, select } from '../views/components.js';
import { ownerPage } from './guard.js';
import { oemSignIn, ownerOemRoutes } from './oem-signin.js';

const tags = ['Owner portal'];
const MODES = ['simulated', 'live', 'test'] as const;

/** Every brand the backend offers in any region, with a country where it is sold (sign-in needs one). */
export function allBrands(s: WebServices): (Brand & { country: string })[] {
  const seen = new Map<string, Brand & { country: string }>();
  for (const country of ['US', 'DE', 'CA']) {
    for (const b of s.deps.backend?.brands(country) ?? []) if (!seen.has(b.make)) seen.set(b.make, { ...b, country });
  }
  return [...seen.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Owners sign in with the same simulated OEM account (make, e-mail, password) they used in Connect. */
export function ownerSignInRoutes(s: WebServices, overview: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) {
  return async (app: FastifyInstance) => {
    app.get('/account', { schema: { tags, summary: 'Owner portal: sign-in, or the signed-in owner\'s vehicles and apps' } }, async (req, reply) => {
      if (ctx(req).session) return overview(req, reply);
      const q = (req.query ?? {}) as Record<string, string>;
      return form(req, reply, {}, q.deleted === '1' ? 'deleted' : undefined);
    });

    app.post('/account/signin', { schema: { tags, summary: 'Owner sign-in with the OEM account' } }, async (req, reply) => {
      const f = formOf(req);
      const v = { make: str(f, 'make', 40).toUpperCase(), email: str(f, 'email', 200), mode: str(f, 'mode', 20) };
      const brand = allBrands(s).find((b) => b.make === v.make);
      const mode = (MODES as readonly string[]).includes(v.mode) ? v.mode as (typeof MODES)[number] : 'simulated';
      const backend = s.deps.backend;
      const checked = await s.deps.throttle.guard({ kind: 'owner', credential: `${v.make}:${v.email}`, address: req.ip }, PASSWORD_POLICY, async () => {
        if (!backend || !brand) return undefined;
        const r = await backend.signIn({ make: v.make, email: v.email, password: typeof f.password === 'string' ? f.password : '', mode, country: brand.country, createIfMissing: false, requirePassword: true });
        return r.ok ? r : undefined;
      });
      if (!checked.ok && checked.retryAfterMs > 0) {
        reply.header('retry-after', String(Math.ceil(checked.retryAfterMs / 1000)));
        return form(req, reply, v, 'throttled', 429);
      }
      if (!checked.ok) return form(req, reply, v, 'failed', 401);
      const result = checked.value;
      await s.sessions.start(reply, 'owner', result.accountId, { make: v.make, email: v.email.toLowerCase(), mode, vehicleIds: result.vehicles.map((x) => x.vehicleId) });
      return redirect(reply, '/account');
    });

    await app.register(ownerOemRoutes(s, (req, reply, make) => form(req, reply, { make }, 'oemFailed', 401)));

    app.post('/account/signout', { schema: { tags, summary: 'Owner sign-out' } }, async (req, reply) => {
      await s.sessions.end(req, reply, 'owner');
      return redirect(reply, '/account');
    });
  };

  function form(req: FastifyRequest, reply: FastifyReply, v: { make?: string; email?: string; mode?: string }, notice?: 'failed' | 'throttled' | 'deleted' | 'oemFailed', status = 200) {
    const { t, csrf } = ctx(req);
    const brands = allBrands(s);
    const nameOf = (make: string | undefined) => brands.find((b) => b.make === make)?.displayName ?? make ?? '';
    const msg = notice === 'failed' ? alert('error', t('owner.signInFailed')) : notice === 'throttled' ? alert('error', t('signin.throttled'))
      : notice === 'deleted' ? alert('ok', t('owner.deleted')) : notice === 'oemFailed' ? alert('error', t('owner.oemFailed', { brand: nameOf(v.make) })) : '';
    // Brands whose real owners sign in on the brand's own page get a link there instead of the password form.
    const oemBrands = brands.filter((b) => oemSignIn(s, b.make));
    const oem = oemBrands.map((b) => html`<p>${t('owner.oemIntro', { brand: b.displayName })}
<a class="button" id="owner-oem-sign-in-${b.make}" href="/account/oem/${b.make.toLowerCase()}/start">${t('owner.oemSignIn', { brand: b.displayName })}</a></p>`);
    return ownerPage(req, reply, t('owner.signInTitle'), html`<h1>${t('owner.signInTitle')}</h1>${msg}<p>${t('owner.intro')}</p>
<form method="post" action="/account/signin" class="card">${csrfInput(csrf)}
${select({ label: t('owner.brand'), name: 'make', id: 'owner-make', value: v.make, options: brands.map((b) => ({ value: b.make, label: b.displayName })) })}
${field({ label: t('field.email'), name: 'email', type: 'email', value: v.email, required: true, autocomplete: 'username' })}
${field({ label: t('field.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password' })}
${select({ label: t('owner.mode'), name: 'mode', id: 'owner-mode', value: v.mode ?? 'simulated', options: MODES.map((m) => ({ value: m, label: t(`mode.${m}`) })) })}
<p><button type="submit" id="owner-sign-in">${t('signin.submit')}</button></p></form>
${oemBrands.length ? html`<div class="card">${oem}</div>` : ''}`, status);
  }
}
