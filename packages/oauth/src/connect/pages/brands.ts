import { html } from '@opencar/ui';
import type { Brand } from '@opencar/connectors';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';
import { hasLogo, slugOf } from '../brand-logos.js';
import { stepUrl } from '../steps.js';

/** Live filtering while typing; without script the search box submits and the server filters. */
const FILTER_SCRIPT = `(function(){var i=document.getElementById('brand-search');if(!i)return;var e=document.getElementById('no-brands');
function f(){var q=i.value.trim().toLowerCase(),n=0;document.querySelectorAll('.brand-list-item').forEach(function(b){
var m=!q||b.id.toLowerCase().indexOf(q)>=0||(b.getAttribute('data-name')||'').indexOf(q)>=0;b.hidden=!m;if(m)n++;});if(e)e.hidden=n>0;}
i.addEventListener('input',f);f();})();`;

export const matchesBrand = (b: Brand, q: string) => {
  const s = q.trim().toLowerCase();
  return !s || b.make.toLowerCase().includes(s) || b.displayName.toLowerCase().includes(s);
};

/** A brand of the list, and whether it can be connected in the flow's mode. */
export type ListedBrand = Brand & { available: boolean };

/**
 * Step 2: every brand of the chosen country as a button#<MAKE>.brand-list-item, with search. A brand
 * that cannot be connected in the flow's mode (live mode without a real connector) stays in the
 * list, disabled and marked as not available.
 */
export function brandsPage(flow: Flow, tr: Translator, nonce: string, brands: ListedBrand[], query: string): string {
  const logo = (b: Brand) => (hasLogo(b.make, b.displayName) ? html`<img src="/connect-assets/brands/${slugOf(b.make, b.displayName)}.svg" alt="" width="24" height="24">` : '');
  const buttons = brands.map((b) => html`<button type="submit" name="make" value="${b.make}" id="${b.make}" class="brand-list-item${b.available ? '' : ' unavailable'}" data-name="${b.displayName.toLowerCase()}"${b.available ? '' : html` disabled aria-describedby="brands-unavailable"`}${matchesBrand(b, query) ? '' : html` hidden`}>${logo(b)}<span>${b.displayName}</span>${b.available ? '' : html` <small>${tr.t('brandUnavailable')}</small>`}</button>`);
  const none = !brands.some((b) => matchesBrand(b, query));
  const someUnavailable = brands.some((b) => !b.available);
  return connectPage({
    tr, nonce, flow, title: tr.t('brandHeading'), script: FILTER_SCRIPT,
    body: html`<h1>${tr.t('brandHeading')}</h1>
<form method="get" action="${stepUrl(flow, 'brand')}" class="search" role="search"><input type="search" id="brand-search" name="q" value="${query}" placeholder="${tr.t('brandSearch')}" aria-label="${tr.t('brandSearch')}" autocomplete="off">
<button type="submit" class="secondary">${tr.t('search')}</button></form>
<p id="no-brands" class="muted"${none ? '' : html` hidden`}>${tr.t('noBrands')}</p>
${someUnavailable ? html`<p id="brands-unavailable" class="hint">${tr.t('brandsUnavailableLive')}</p>` : ''}
<form method="post" action="/connect/${flow.id}/brand">${csrfField(flow)}<div class="brands">${buttons}</div></form>`,
  });
}
