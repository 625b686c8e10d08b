import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import type { AttemptView, DeliveryView } from '@opencar/webhooks';
import type { WebServices } from '../services.js';
import { formOf, redirect, str, WebError } from '../http/context.js';
import { alert, csrfInput } from '../views/components.js';
import type { Translate } from '../i18n/index.js';
import { ownedApp, requireDeveloper } from './guard.js';

const tags = ['Dashboard'];

/**
 * The "send test event" form of a webhook. app.js disables its button while the POST runs; the form
 * carries a token of its own, so submitting it twice still sends one event.
 */
export function testEventForm(t: Translate, csrf: string, appId: string, webhookId: string, timeoutMs: number): SafeHtml {
  return html`<form method="post" action="/dashboard/apps/${appId}/webhooks/${webhookId}/test" class="inline" data-busy="${t('hooks.sendingTest', { s: Math.ceil(timeoutMs / 1000) })}">${csrfInput(csrf)}
<input type="hidden" name="token" value="${randomUUID()}"><button type="submit" class="secondary" id="send-test-${webhookId}">${t('hooks.sendTest')}</button></form>`;
}

/** What became of a test event: the receiver's status and time, or the error. */
export function testOutcome(t: Translate, d: DeliveryView & { log: AttemptView[] }): SafeHtml {
  const last = d.log.at(-1);
  const ms = String(last?.durationMs ?? 0);
  if (d.status === 'delivered') return alert('ok', html`<span id="test-outcome" data-status="${d.status}">${t('hooks.testDelivered', { status: String(d.lastStatus ?? ''), ms })}</span>`);
  const error = d.lastError ?? (d.lastStatus !== null ? `HTTP ${d.lastStatus}` : '—');
  return alert('error', html`<span id="test-outcome" data-status="${d.status}">${t('hooks.testFailed', { error, ms })}</span>`);
}

/** POST …/webhooks/:webhookId/test: sends the test event at once and shows its outcome on the delivery log. */
export function WebhookTest(s: WebServices) {
  return async (app: FastifyInstance) => {
    app.post('/dashboard/apps/:appId/webhooks/:webhookId/test', { schema: { tags, summary: 'Send a test event to a webhook' }, preHandler: requireDeveloper(s) }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const webhookId = (req.params as { webhookId: string }).webhookId;
      const wh = s.deps.webhooks;
      if (!wh) throw new WebError(503, 'common.notAvailable');
      const token = str(formOf(req), 'token', 100) || undefined;
      try {
        const d = await wh.sendTest(a.id, webhookId, token);
        return redirect(reply, `/dashboard/apps/${a.id}/webhooks/${webhookId}?tested=${encodeURIComponent(d.id)}`);
      } catch (err) {
        if (isApiError(err) && err.statusCode === 404) throw new WebError(404, 'error.notFound');
        if (isApiError(err) && err.type === 'VALIDATION') throw new WebError(409, 'hooks.testNeedsVerify');
        throw err;
      }
    });
  };
}
