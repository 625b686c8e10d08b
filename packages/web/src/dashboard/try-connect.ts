import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { html, type SafeHtml } from '@opencar/ui';
import { OAuthError, randomToken } from '@opencar/core';
import type { App } from '@opencar/storage';
import { exchangeCodeInServer, tryConnectCallbackPath, tryConnectCallbackUri } from '@opencar/oauth';
import type { WebServices } from '../services.js';
import { ctx, redirect } from '../http/context.js';
import { parseCookies, serializeCookie } from '../http/cookies.js';
import { alert, copyButton, maskVin, secretBox } from '../views/components.js';
import { copyWords } from '../views/copy.js';
import { makeName } from '../services/makes.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { firstCall } from './first-call.js';

const tags = ['Dashboard'];
const COOKIE = 'oc_try';
/** Connect's code lives 10 minutes; the pending Try Connect a little longer. */
const PENDING_S = 15 * 60;

const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Try Connect without writing an app: the dashboard starts Connect for the app (its mode and default
 * permissions, PKCE, a state bound to this browser), Connect comes back to the dashboard's own
 * callback, which exchanges the code inside the server and shows the connected vehicle, its tokens
 * (once) and a first call to make with them.
 */
export function tryConnectRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const secure = s.deps.config.publicUrl.startsWith('https:') || s.deps.config.tls !== undefined;

    app.get('/dashboard/apps/:appId/try-connect', { schema: { tags, summary: 'Start Try Connect for the application' }, preHandler, config: { role: 'developer' } }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const state = randomToken(16);
      const verifier = randomToken(32);
      reply.header('set-cookie', serializeCookie(COOKIE, `${state}.${verifier}`, { path: tryConnectCallbackPath(a.id), secure, maxAge: PENDING_S }));
      const q = new URLSearchParams({
        response_type: 'code', client_id: a.id, redirect_uri: tryConnectCallbackUri(s.deps.config.publicUrl, a.id),
        scope: a.defaultScope.join(' '), mode: a.mode, state, code_challenge: challengeOf(verifier), code_challenge_method: 'S256',
      });
      return redirect(reply, `/oauth/authorize?${q.toString().replace(/\+/g, '%20')}`);
    });

    app.get('/dashboard/apps/:appId/try-connect/callback', { schema: { tags, summary: 'Where Try Connect comes back: the connected vehicle and its tokens' }, preHandler, config: { role: 'developer' } }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const { t } = ctx(req);
      const q = (req.query ?? {}) as Record<string, unknown>;
      const one = (k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
      const [state, verifier] = (parseCookies(req.headers.cookie)[COOKIE] ?? '').split('.');
      reply.header('set-cookie', serializeCookie(COOKIE, '', { path: tryConnectCallbackPath(a.id), secure, maxAge: 0 }));
      const fail = (message: string, status = 400) => devPage(req, reply, t('try.failedTitle'), html`<h1>${t('try.failedTitle')}</h1>${alert('error', message)}
<p><a class="button" href="/dashboard/apps/${a.id}/try-connect" id="try-again">${t('try.again')}</a></p>`, { nav: appTabs(req, a, 'settings'), status });
      const error = one('error');
      if (error) return fail(t('try.connectError', { error, description: one('error_description') ?? '' }), 200);
      const code = one('code');
      if (!code || !state || !verifier || !sameText(one('state') ?? '', state)) return fail(t('try.notThisBrowser'));
      let tokens;
      try {
        tokens = await exchangeCodeInServer(s.deps.storage, s.deps.clock, a, { code, redirectUri: tryConnectCallbackUri(s.deps.config.publicUrl, a.id), codeVerifier: verifier }, () => s.deps.grants?.invalidate?.());
      } catch (err) {
        if (err instanceof OAuthError) return fail(t('try.codeRefused', { error: err.message }));
        throw err;
      }
      const access = await s.deps.grants?.verifyAccessToken(tokens.access_token);
      const vehicles = await Promise.all((access?.vehicleIds ?? []).map(async (id) => ({ id, v: await s.deps.backend?.vehicle(id) })));
      return devPage(req, reply, t('try.connectedTitle'), resultBody(req, s, a, tokens, vehicles, [...(access?.permissions ?? [])]), { nav: appTabs(req, a, 'settings') });
    });
  };
}

type Found = { id: string; v: Awaited<ReturnType<NonNullable<WebServices['deps']['backend']>['vehicle']>> };

function resultBody(req: FastifyRequest, s: WebServices, a: App, tokens: { access_token: string; refresh_token: string; expires_in: number }, vehicles: Found[], permissions: string[]): SafeHtml {
  const { t } = ctx(req);
  const publicUrl = s.deps.config.publicUrl;
  const first = vehicles[0];
  const call = firstCall(permissions);
  const curl = first ? `curl -H "Authorization: Bearer ${tokens.access_token}" \\\n  ${publicUrl}/v2.0/vehicles/${first.id}${call.path}` : `curl -H "Authorization: Bearer ${tokens.access_token}" ${publicUrl}/v2.0/vehicles`;
  const sdk = [
    `// npm install smartcar — run with SMARTCAR_API_ORIGIN=${publicUrl}`,
    "import smartcar from 'smartcar';",
    first ? `const vehicle = new smartcar.Vehicle('${first.id}', '${tokens.access_token}');` : `console.log(await smartcar.getVehicles('${tokens.access_token}'));`,
    ...(first ? [`console.log(await vehicle.${call.method}());`] : []),
  ].join('\n');
  return html`${alert('ok', t('try.connected', { n: vehicles.length }))}<h1>${t('try.connectedTitle')}</h1>
<section class="card" id="try-vehicles"><h2>${t('nav.vehicles')}</h2><ul>${vehicles.map(({ id, v }) => html`<li data-vehicle-id="${id}"><strong>${v ? `${makeName(s.deps.backend, v.make)} ${v.model} ${v.year}` : id}</strong>
${v ? html` · VIN <span class="mono">${maskVin(v.vin)}</span>` : ''}<br><small class="mono">${id}</small></li>`)}</ul>
<p><a href="/dashboard/apps/${a.id}/vehicles">${t('try.seeVehicles')}</a></p></section>
<section class="card" id="try-tokens"><h2>${t('try.tokens')}</h2>${alert('info', t('try.tokensOnce', { minutes: Math.round(tokens.expires_in / 60) }))}
${secretBox(t('try.accessToken'), tokens.access_token, 'try-access-token', copyWords(t, t('try.accessToken')))}
${secretBox(t('try.refreshToken'), tokens.refresh_token, 'try-refresh-token', copyWords(t, t('try.refreshToken')))}</section>
<section class="card" id="try-first-call"><h2>${t('try.firstCall')}</h2><p>${t('try.firstCallHint')}</p>
<div class="snippet"><div class="snippet-head"><h3>curl</h3>${copyButton('try-curl', copyWords(t, 'curl'))}</div><pre id="try-curl">${curl}</pre></div>
<div class="snippet"><div class="snippet-head"><h3>Node.js (smartcar)</h3>${copyButton('try-sdk', copyWords(t, 'Node.js'))}</div><pre id="try-sdk">${sdk}</pre></div></section>
<p><a class="button secondary" href="/dashboard/apps/${a.id}">${t('try.backToApp')}</a></p>`;
}

