import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decryptSecret, encryptSecret, randomToken, safeEqual } from '@opencar/core';
import type { OAuthSignIn } from '@opencar/connectors';
import type { WebServices } from '../services.js';
import { parseCookies, serializeCookie } from '../http/cookies.js';
import { redirect } from '../http/context.js';

/**
 * Owner-portal sign-in for brands whose owners sign in on the brand's own page (Tesla in live
 * mode): the portal sends the owner there with a state and PKCE verifier sealed in a short-lived
 * cookie, the brand returns through Connect's callback (state `p.…`) to `/account/oem/:make/return`,
 * and the code only identifies the owner: no OEM token is kept for the portal.
 */
const tags = ['Owner portal'];
const COOKIE = 'oc_owner_oem';
const TTL_S = 900;

interface Pending { state: string; verifier: string; make: string; exp: number }

export function oemSignIn(s: WebServices, make: string): OAuthSignIn | undefined {
  return s.deps.backend?.oauthSignIn?.(make.toUpperCase(), 'live');
}

export function ownerOemRoutes(s: WebServices, failed: (req: FastifyRequest, reply: FastifyReply, make: string) => FastifyReply) {
  const secure = s.deps.config.publicUrl.startsWith('https:');
  const cookie = (value: string, maxAge: number) => serializeCookie(COOKIE, value, { path: '/account', secure, maxAge });
  const params = { type: 'object', properties: { make: { type: 'string' } }, required: ['make'] } as const;

  return async (app: FastifyInstance) => {
    app.get('/account/oem/:make/start', { schema: { tags, summary: 'Owner sign-in on the brand\'s own page (OAuth brands)', params } }, async (req, reply) => {
      const make = (req.params as { make: string }).make.toUpperCase();
      const oauth = oemSignIn(s, make);
      if (!oauth) return redirect(reply, '/account');
      const state = `p.${randomToken(24)}`;
      const { url, verifier } = oauth.begin({ permissions: [], state });
      const pending: Pending = { state, verifier, make, exp: s.deps.clock.now() + TTL_S * 1000 };
      reply.header('set-cookie', cookie(encryptSecret(s.deps.secretKey, JSON.stringify(pending)), TTL_S));
      return reply.code(302).header('cache-control', 'no-store').header('location', url).send();
    });

    app.get('/account/oem/:make/return', { schema: { tags, summary: 'Back from the brand\'s sign-in page: the owner is signed in to the portal', params } }, async (req, reply) => {
      const make = (req.params as { make: string }).make.toUpperCase();
      const q = (req.query ?? {}) as Record<string, unknown>;
      const oauth = oemSignIn(s, make);
      reply.header('set-cookie', cookie('', 0));
      let pending: Pending | undefined;
      try { pending = JSON.parse(decryptSecret(s.deps.secretKey, parseCookies(req.headers.cookie)[COOKIE] ?? '')) as Pending; } catch { pending = undefined; }
      const state = typeof q.state === 'string' ? q.state : '';
      const code = typeof q.code === 'string' ? q.code : '';
      if (!oauth || !pending || pending.make !== make || pending.exp < s.deps.clock.now() || !safeEqual(state, pending.state) || !code) return failed(req, reply, make);
      const result = await oauth.complete({ code, verifier: pending.verifier });
      if (!result.ok) return failed(req, reply, make);
      await s.sessions.start(reply, 'owner', result.accountId, { make, email: '', mode: 'live', vehicleIds: result.vehicles.map((v) => v.vehicleId) });
      return redirect(reply, '/account');
    });
  };
}
