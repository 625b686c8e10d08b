import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage } from '../layout.js';

/**
 * Step 3 for a brand whose owners sign in on the brand's own page (OAuth): the owner follows the
 * link to the brand, signs in there, and comes back to Connect's next step. opencar never sees the
 * password. (Password brands keep the three-field page with `#sign-in-button`.)
 */
export function oemLoginPage(flow: Flow, tr: Translator, nonce: string, brandName: string, failed: boolean): string {
  const heading = flow.data.kind === 'reauth' ? tr.t('reauthHeading', { app: flow.data.appName }) : tr.t('loginHeading', { brand: brandName });
  return connectPage({
    tr, nonce, flow, title: tr.t('loginHeading', { brand: brandName }),
    body: html`<h1>${heading}</h1><p class="muted">${tr.t('oemLoginIntro', { brand: brandName })}</p>
${failed ? html`<p class="notice" role="alert">${tr.t('oemFailed', { brand: brandName })}</p>` : ''}
<p><a class="button wide" id="oem-sign-in-button" href="/connect/${flow.id}/oem">${tr.t('oemContinue', { brand: brandName })}</a></p>`,
  });
}
