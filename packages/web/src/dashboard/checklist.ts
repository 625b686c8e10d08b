import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { WebRepo, type App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx } from '../http/context.js';

export type Step = 'create' | 'connect' | 'call' | 'webhook';
export const STEPS: readonly Step[] = ['create', 'connect', 'call', 'webhook'];

/** Which getting-started steps an app has done, read from what exists (connections, the request log, webhooks). */
export async function progressOf(s: WebServices, a: App): Promise<Record<Step, boolean>> {
  await s.deps.metering?.flush();
  const [connections, calls, hooks] = await Promise.all([
    s.deps.grants ? s.deps.grants.listConnections(a.id, {}, { limit: 1 }).then((r) => r.connections.length) : 0,
    new WebRepo(s.deps.storage.db).requestLog(a.id, {}, 1).then((r) => r.length),
    s.deps.webhooks ? s.deps.webhooks.list(a.id).then((r) => r.length) : 0,
  ]);
  return { create: true, connect: connections > 0, call: calls > 0, webhook: hooks > 0 };
}

/** The getting-started checklist of an app; nothing once every step is done. */
export function checklist(req: FastifyRequest, a: App, done: Record<Step, boolean>): SafeHtml {
  const { t } = ctx(req);
  if (STEPS.every((step) => done[step])) return html``;
  const base = `/dashboard/apps/${a.id}`;
  const link: Record<Step, string> = { create: base, connect: `${base}/try-connect`, call: `${base}/logs`, webhook: `${base}/webhooks` };
  const n = STEPS.filter((step) => done[step]).length;
  return html`<section class="card" id="getting-started" aria-labelledby="getting-started-title"><h2 id="getting-started-title">${t('start.title')}</h2>
<p>${t('start.progress', { n, total: STEPS.length })}</p><ol class="checklist">${STEPS.map((step) => html`<li id="step-${step}" data-done="${done[step] ? 'yes' : 'no'}" class="${done[step] ? 'done' : 'todo'}">
<span class="badge ${done[step] ? 'ok' : ''}">${done[step] ? t('start.done') : t('start.todo')}</span> ${done[step] ? t(`start.${step}`) : html`<a href="${link[step]}">${t(`start.${step}`)}</a>`}
<small class="hint">${t(`start.${step}Hint`)}</small></li>`)}</ol></section>`;
}
