import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';

/**
 * An error page. With a flow (the app and its redirect URI are trusted) it offers "Exit", which
 * returns `configuration_error` to the app; without one it never redirects anywhere.
 */
export function errorPage(tr: Translator, nonce: string, message: string, flow?: Flow): string {
  return connectPage({
    tr, nonce, flow, title: tr.t('errorHeading'),
    body: html`<h1>${tr.t('errorHeading')}</h1><p id="error-message">${message}</p>
${flow ? html`<form method="post" action="/connect/${flow.id}/exit">${csrfField(flow)}<button type="submit" id="exit-button" class="wide">${tr.t('exit')}</button></form>` : ''}`,
  });
}
