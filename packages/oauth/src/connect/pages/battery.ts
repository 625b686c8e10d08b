import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';

/** Battery-capacity flow: the owner picks the usable capacity, or says they do not know. */
export function batteryPage(flow: Flow, tr: Translator, nonce: string): string {
  const options = flow.data.capacities.map((c, i) => html`<label class="vehicle"><input type="radio" name="capacity" value="${c}"${i === 0 ? html` checked` : ''}><span>${c} kWh</span></label>`);
  return connectPage({
    tr, nonce, flow, title: tr.t('batteryHeading'),
    body: html`<h1>${tr.t('batteryHeading')}</h1><p class="muted">${tr.t('batteryIntro', { app: flow.data.appName })}</p>
<form method="post" action="/connect/${flow.id}/battery">${csrfField(flow)}${options}
<div class="actions"><button type="submit" name="decision" value="unknown" id="battery-unknown-button" class="secondary">${tr.t('batteryUnknown')}</button>
<button type="submit" name="decision" value="save" id="battery-save-button">${tr.t('save')}</button></div></form>`,
  });
}
