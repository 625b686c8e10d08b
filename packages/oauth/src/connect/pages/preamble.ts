import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';
import { permissionList } from './permission-list.js';

/** Step 1: which app asks, for what, and how Connect works. */
export function preamblePage(flow: Flow, tr: Translator, nonce: string): string {
  const app = flow.data.appName;
  return connectPage({
    tr, nonce, flow, title: tr.t('connectTitle'),
    body: html`<h1>${tr.t('preambleHeading', { app })}</h1>
<p class="muted">${tr.t('preambleAsks', { app })}</p>${permissionList(flow, tr)}
<p class="muted">${tr.t('preambleHow', { app })}</p>
<form method="post" action="/connect/${flow.id}/continue">${csrfField(flow)}
<button type="submit" id="continue-button" class="wide">${tr.t('continue')}</button></form>`,
  });
}
