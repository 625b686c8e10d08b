import { html } from '@opencar/ui';
import type { Brand } from '@opencar/connectors';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';

/** Live filtering while typing; without script the search box submits and the server filters. */
const FILTER_SCRIPT = `(function(){var i=document.getElementById('brand-search');if(!i)return;var e=document.getElementById('no-brands');
function f(){var q=i.value.trim().toLowerCase(),n=0;document.querySelectorAll('.brand-list-item').forEach(function(b){
var m=!q||b.id.toLowerCase().indexOf(q)>=0||(b.getAttribute('data-name')||'').indexOf(q)>=0;b.hidden=!m;if(m)n++;});if(e)e.hidden=n>0;}
i.addEventListener('input',f);f();})();`;

export const matchesBrand = (b: Brand, q: string) => {
  const s = q.trim().toLowerCase();
  return !s || b.make.toLowerCase().includes(s) || b.displayName.toLowerCase().includes(s);
};

/** Step 2: every brand of the chosen country as a button#<MAKE>.brand-list-item, with search. */
export function brandsPage(flow: Flow, tr: Translator, nonce: string, brands: Brand[], query: string): string {
  const buttons = brands.map((b) => html`<button type="submit" name="make" value="${b.make}" id="${b.make}" class="brand-list-item" data-name="${b.displayName.toLowerCase()}"${matchesBrand(b, query) ? '' : html` hidden`}>${b.displayName}</button>`);
  const none = !brands.some((b) => matchesBrand(b, query));
  return connectPage({
    tr, nonce, flow, title: tr.t('brandHeading'), script: FILTER_SCRIPT,
    body: html`<h1>${tr.t('brandHeading')}</h1>
<form method="get" action="/connect/${flow.id}" class="search" role="search"><input type="search" id="brand-search" name="q" value="${query}" placeholder="${tr.t('brandSearch')}" aria-label="${tr.t('brandSearch')}" autocomplete="off">
<button type="submit" class="secondary">${tr.t('search')}</button></form>
<p id="no-brands" class="muted"${none ? '' : html` hidden`}>${tr.t('noBrands')}</p>
<form method="post" action="/connect/${flow.id}/brand">${csrfField(flow)}<div class="brands">${buttons}</div></form>`,
  });
}
