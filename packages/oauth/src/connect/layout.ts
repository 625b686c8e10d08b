import { html, page, raw, type SafeHtml } from '@opencar/ui';
import { LANGUAGES, type Translator } from '../i18n/index.js';
import type { Flow } from './flow.js';
import { previousStep, stepUrl } from './steps.js';

export interface Chrome {
  tr: Translator;
  nonce: string;
  title: string;
  /** The flow the page belongs to (absent on errors before a flow exists). */
  flow?: Flow;
  body: SafeHtml;
  /** Page-specific script (progressive enhancement only; every page works without it). */
  script?: string;
}

const CSS = `
body{background:#eef1f5}main{max-width:460px;padding:0 12px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px #0002;padding:20px;margin:16px 0}
.app{display:flex;align-items:center;gap:12px;margin-bottom:8px}.app img,.app .mark{width:44px;height:44px;border-radius:10px;object-fit:cover}
.app .mark{display:flex;align-items:center;justify-content:center;background:#0b57d0;color:#fff;font-weight:700;font-size:1.2rem}
.app strong{font-size:1.05rem}.badge{display:inline-block;font-size:.75rem;padding:2px 8px;border-radius:99px;background:#fff3cd;color:#6b4e00;margin-left:auto}
h1{font-size:1.3rem;margin:.4em 0}.muted{color:#555;font-size:.92rem}
ul.perms{padding:0;list-style:none;margin:12px 0}ul.perms li{padding:8px 0 8px 28px;border-bottom:1px solid #eee;position:relative}
ul.perms li::before{content:"✓";position:absolute;left:4px;color:#0b57d0;font-weight:700}
.req{font-size:.75rem;color:#6b4e00;background:#fff3cd;border-radius:4px;padding:0 6px;margin-left:6px}
.wide{width:100%;margin-top:12px}a.button{display:block;box-sizing:border-box;text-align:center;text-decoration:none}.secondary{background:#fff;color:#0b57d0}
.brands{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:8px;margin-top:12px}
.brand-list-item{display:flex;align-items:center;justify-content:center;gap:8px;min-width:0;min-height:52px;padding:8px 10px;background:#fff;color:#111;border:1px solid #ccd;font-weight:600}
.brand-list-item img{width:24px;height:24px;flex:none}.brand-list-item span{min-width:0;overflow-wrap:anywhere}
.back-link{display:inline-flex;align-items:center;gap:4px;margin:0 0 8px;font-weight:600;text-decoration:none;padding:4px 0}.back-link:hover{text-decoration:underline}
.brand-list-item:hover{border-color:#0b57d0}.brand-list-item[hidden]{display:none}
.brand-list-item.unavailable{flex-direction:column;color:#666;background:#f3f3f5;border-style:dashed;cursor:not-allowed}.brand-list-item small{font-weight:400}
.search{display:flex;gap:8px}.search input{flex:1}.search button{flex:none}
label{display:block;margin:12px 0 4px;font-weight:600}.notice{background:#fdecea;color:#8a1c1c;border-radius:8px;padding:10px;margin:10px 0}
.hint{background:#e8f0fe;border-radius:8px;padding:8px 10px;font-size:.9rem}
.vehicle{display:flex;gap:10px;align-items:flex-start;border:1px solid #ddd;border-radius:10px;padding:10px;margin:8px 0;font-weight:400}
.vehicle input{width:auto;margin-top:4px}.vehicle.off{opacity:.6}.vehicle small{display:block;color:#555}
.actions{display:flex;gap:10px}.actions button{flex:1}.plain{border:0;padding:0;margin:0}
footer{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;justify-content:space-between;font-size:.85rem;padding:0 4px 24px}
footer nav a{margin-right:8px}footer nav a[aria-current]{font-weight:700;color:#111;text-decoration:none}
.linklike{background:none;border:none;color:#0b57d0;padding:0;text-decoration:underline;font-size:.85rem}
`;

/** Hidden CSRF field for a flow's forms. */
export const csrfField = (flow: Flow) => html`<input type="hidden" name="_csrf" value="${flow.csrf}">`;

function appHeader(flow: Flow, tr: Translator): SafeHtml {
  const d = flow.data;
  const mark = d.logoUrl ? html`<img src="${d.logoUrl}" alt="">` : html`<span class="mark" aria-hidden="true">${d.appName.slice(0, 1).toUpperCase()}</span>`;
  const badge = d.mode === 'simulated' ? tr.t('modeSimulated') : d.mode === 'test' ? tr.t('modeTest') : null;
  return html`<div class="app">${mark}<strong>${d.appName}</strong>${badge ? html`<span class="badge">${badge}</span>` : ''}</div>`;
}

function footer(flow: Flow | undefined, tr: Translator): SafeHtml {
  if (!flow) return html``;
  const langs = (Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[]).map((l) =>
    html`<a href="${stepUrl(flow)}?lang=${l}" hreflang="${l}" lang="${l}"${l === tr.lang ? raw(' aria-current="true"') : ''}>${LANGUAGES[l].langName}</a>`);
  return html`<footer><nav aria-label="${tr.t('language')}">${langs}</nav>
<form method="post" action="/connect/${flow.id}/return">${csrfField(flow)}<button type="submit" class="linklike" id="back-to-app-button">${tr.t('backToApp')}</button></form></footer>`;
}

/** "Back" to the previous step of the flow, on every step after the first (a plain link: works without script). */
function backLink(flow: Flow, tr: Translator): SafeHtml {
  const prev = flow.data.step === 'error' ? undefined : previousStep(flow);
  return prev ? html`<a class="back-link" id="back-button" href="${stepUrl(flow, prev)}"><span aria-hidden="true">←</span> ${tr.t('back')}</a>` : html``;
}

/** A Connect page: Back and app identity on top, the step's card, language switcher and "back to application" below. */
export function connectPage(c: Chrome): string {
  const body = html`<main>${c.flow ? html`<div class="card">${backLink(c.flow, c.tr)}${appHeader(c.flow, c.tr)}${c.body}</div>` : html`<div class="card">${c.body}</div>`}
${footer(c.flow, c.tr)}</main>${c.script ? html`<script nonce="${c.nonce}">${raw(c.script)}</script>` : ''}`;
  return page({ title: `${c.title} · opencar Connect`, lang: c.tr.lang, body, head: html`<style nonce="${c.nonce}">${raw(CSS)}</style>` });
}
