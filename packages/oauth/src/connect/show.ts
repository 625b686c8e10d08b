import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Brand } from '@opencar/connectors';
import { isLang } from '../i18n/index.js';
import { loadFlow, sendPage, str, trFor, type ConnectContext } from './context.js';
import { brandsPage } from './pages/brands.js';
import { preamblePage } from './pages/preamble.js';
import { loginPage } from './pages/login.js';
import { oemLoginPage } from './pages/oem-login.js';
import { oauthOf } from './oem-sign-in.js';
import { consentPage } from './pages/consent.js';
import { errorPage } from './pages/error.js';
import { batteryPage } from './pages/battery.js';
import { reached, stepUrl, type PageStep } from './steps.js';

export const sortedBrands = (brands: Brand[]) => [...brands].sort((a, b) => a.displayName.localeCompare(b.displayName));

export function brandName(ctx: ConnectContext, make: string | null, country: string): string {
  if (!make) return '';
  return ctx.deps.backend?.brands(country).find((b) => b.make === make)?.displayName ?? make.charAt(0) + make.slice(1).toLowerCase();
}

/**
 * GET /connect/:flowId — renders the step the flow is at. GET /connect/:flowId/<step> renders that
 * step: an earlier one the flow went through takes the flow back there (the page's Back control and
 * the browser's Back button), a later one it has not reached shows where the flow is instead.
 * `?lang=` switches language, `?q=` searches brands.
 */
export function showHandler(ctx: ConnectContext, step?: PageStep) {
  return async (req: FastifyRequest<{ Params: { flowId: string }; Querystring: Record<string, unknown> }>, reply: FastifyReply) => {
    const flow = await loadFlow(ctx, req, reply);
    if (!flow) return reply;
    if (step && step !== flow.data.step) {
      if (!reached(flow, step)) return reply.code(303).header('location', stepUrl(flow)).header('cache-control', 'no-store').send();
      flow.data.step = step;
      await ctx.flows.save(flow);
    }
    const lang = str(req.query.lang);
    if (isLang(lang) && flow.data.lang !== lang) {
      flow.data.lang = lang;
      await ctx.flows.save(flow);
    }
    const tr = trFor(req, flow);
    const d = flow.data;
    const render = (status: number, page: (nonce: string) => string) => sendPage(reply, status, page, d.redirectUri);
    switch (d.step) {
      case 'preamble': return render(200, (n) => preamblePage(flow, tr, n));
      case 'brand': {
        const backend = ctx.deps.backend;
        const listed = sortedBrands(backend?.brands(d.country) ?? []).map((b) => ({ ...b, available: backend!.brandAvailable(b.make, d.mode) }));
        return render(200, (n) => brandsPage(flow, tr, n, listed, str(req.query.q)));
      }
      case 'login': return oauthOf(ctx, flow)
        ? render(200, (n) => oemLoginPage(flow, tr, n, brandName(ctx, d.make, d.country), d.oem?.failed === true))
        : render(200, (n) => loginPage(flow, tr, n, brandName(ctx, d.make, d.country), undefined));
      case 'consent': return render(200, (n) => consentPage(flow, tr, n));
      case 'battery': return render(200, (n) => batteryPage(flow, tr, n));
      case 'error': return render(d.error?.statusCode ?? 400, (n) => errorPage(tr, n, d.error?.message ?? tr.t('errorHeading'), flow));
    }
  };
}
