import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import type { App } from '@opencar/storage';
import { ctx } from '../http/context.js';
import { copyButton } from '../views/components.js';
import { copyWords } from '../views/copy.js';
import { tryConnectUrl } from '../services/apps.js';

/** The environment a Smartcar SDK needs to talk to this server as this app (the secret is never shown again). */
export function quickStartEnv(a: App, publicUrl: string): string {
  return [
    `SMARTCAR_API_ORIGIN=${publicUrl}`, `SMARTCAR_AUTH_ORIGIN=${publicUrl}`,
    `SMARTCAR_MANAGEMENT_API_ORIGIN=${publicUrl}`, `SMARTCAR_API_V3_ORIGIN=${publicUrl}`,
    `SMARTCAR_CLIENT_ID=${a.id}`, 'SMARTCAR_CLIENT_SECRET=<the secret shown when the app was created or rotated>',
    `SMARTCAR_REDIRECT_URI=${a.redirectUris[0] ?? ''}`,
  ].join('\n');
}

/** Quick start card: the SDK environment and the app's Connect URL, each with a copy button. */
export function quickStart(req: FastifyRequest, a: App, publicUrl: string): SafeHtml {
  const { t } = ctx(req);
  const connectUrl = publicUrl + tryConnectUrl(a);
  return html`<section class="card" id="quick-start"><h2>${t('quick.title')}</h2><p>${t('quick.hint')}</p>
<div class="snippet"><div class="snippet-head"><h3 id="quick-env-title">${t('quick.env')}</h3>${copyButton('quick-env', copyWords(t, t('quick.env')))}</div>
<pre id="quick-env">${quickStartEnv(a, publicUrl)}</pre></div>
<div class="snippet"><div class="snippet-head"><h3 id="quick-connect-title">${t('quick.connectUrl')}</h3>${copyButton('quick-connect', copyWords(t, t('quick.connectUrl')))}</div>
<pre id="quick-connect">${connectUrl}</pre></div></section>`;
}
