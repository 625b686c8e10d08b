import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '@opencar/ui';
import { rawQuery } from './query.js';
import { sendPage, trFor } from './context.js';
import { connectPage } from './layout.js';

/**
 * GET /connect/demo-callback — the demo app's registered redirect target: shows what Connect sent
 * back (code or error) so the flow can be tried without writing an app.
 */
export function demoCallbackHandler() {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = rawQuery(req);
    const tr = trFor(req);
    const rows = ['code', 'state', 'error', 'error_description', 'vehicle_id', 'make', 'model', 'year', 'vin', 'status_code', 'error_message']
      .map((k) => [k, q(k)] as const).filter(([, v]) => v !== undefined)
      .map(([k, v]) => html`<tr><th>${k}</th><td><code id="result-${k}">${v}</code></td></tr>`);
    const ok = q('code') !== undefined || q('vehicle_id') !== undefined;
    return sendPage(reply, 200, (nonce) => connectPage({
      tr, nonce, title: 'Connect result',
      body: html`<h1>${ok ? 'Connect finished' : 'Connect returned an error'}</h1>
<p class="muted">This is what an application receives on its redirect URI. Exchange the code at <code>POST /oauth/token</code> within 10 minutes.</p>
<table>${rows}</table>`,
    }));
  };
}
