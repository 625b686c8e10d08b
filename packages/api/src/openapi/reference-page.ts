import { cspHash, html, page, raw, staticPageCsp, type SafeHtml } from '@opencar/ui';
import { docsLang, docsPlainTranslator, docsTranslator, languageLinks, type DocsKey, type DocsTranslate } from '../docs-i18n/index.js';
import type { OperationExample } from './examples.js';
import { fieldRows, typeLabel, type FieldRow } from './schema-fields.js';
import { curlSnippet, nodeSnippet } from './snippets.js';

/** The reference page's own stylesheet (inlined; its CSP allows exactly this text by hash). */
export const REFERENCE_CSS = 'pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;font-size:13px;margin:4px 0 12px}'
  + '.op{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 12px;margin:12px 0}.op>summary{cursor:pointer;overflow-wrap:anywhere}'
  + '.m{display:inline-block;min-width:4.5em;font-weight:700}nav ul{columns:2}@media (max-width:600px){nav ul{columns:1}}'
  + '.scroll{overflow-x:auto;max-width:100%}.scroll table{min-width:28em}h3{font-size:1rem;margin:16px 0 4px}h4{font-size:.95rem;margin:8px 0 4px}'
  + '[role=tablist]{display:flex;gap:4px;margin:4px 0}[role=tab]{background:#fff;color:#0b57d0;padding:4px 12px}'
  + '[role=tab][aria-selected=true]{background:#0b57d0;color:#fff}#search-box{margin:12px 0}code{overflow-wrap:anywhere}';

/**
 * The page's only script, allowed by hash: the operation filter and the curl / Node.js tabs. Without it
 * the page is complete — the filter stays hidden and both examples show one after the other. Its words
 * come from `data-` attributes of the page, so the script (and its hash) is the same in every language.
 */
export const REFERENCE_JS = `(function () {
  var box = document.getElementById('search-box'), input = document.getElementById('op-search'), status = document.getElementById('search-status');
  var ops = [].slice.call(document.querySelectorAll('.op')), sections = [].slice.call(document.querySelectorAll('.tag-section'));
  var main = document.querySelector('main'), words = function (name) { return (main && main.getAttribute(name)) || ''; };
  if (box && input) {
    box.hidden = false;
    input.addEventListener('input', function () {
      var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
      ops.forEach(function (op) {
        var text = op.getAttribute('data-search'), hit = terms.every(function (w) { return text.indexOf(w) >= 0; });
        op.hidden = !hit; if (hit) shown++;
      });
      sections.forEach(function (s) { s.hidden = !s.querySelector('.op:not([hidden])'); });
      status.textContent = terms.length ? words('data-search-status').replace('{shown}', String(shown)).replace('{total}', String(ops.length)) : '';
    });
  }
  var groups = [].slice.call(document.querySelectorAll('[data-tabs]'));
  function select(lang, focus) {
    groups.forEach(function (g) {
      [].slice.call(g.querySelectorAll('[role=tab]')).forEach(function (t) {
        var on = t.getAttribute('data-lang') === lang;
        t.setAttribute('aria-selected', String(on)); t.tabIndex = on ? 0 : -1;
        if (on && focus === g) t.focus();
      });
      [].slice.call(g.querySelectorAll('.tab-panel')).forEach(function (p) { p.hidden = p.getAttribute('data-lang') !== lang; });
    });
  }
  groups.forEach(function (g) {
    var panels = [].slice.call(g.querySelectorAll('.tab-panel')), list = document.createElement('div');
    list.setAttribute('role', 'tablist'); list.setAttribute('aria-label', words('data-tab-list'));
    panels.forEach(function (p) {
      var b = document.createElement('button'), title = p.querySelector('.tab-title');
      b.type = 'button'; b.id = p.id + '-tab'; b.setAttribute('role', 'tab'); b.setAttribute('data-lang', p.getAttribute('data-lang'));
      b.setAttribute('aria-controls', p.id); b.textContent = title ? title.textContent : p.getAttribute('data-lang');
      p.setAttribute('role', 'tabpanel'); p.setAttribute('aria-labelledby', b.id); if (title) title.hidden = true;
      b.addEventListener('click', function () { select(b.getAttribute('data-lang')); });
      b.addEventListener('keydown', function (e) {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        var i = panels.indexOf(p) + (e.key === 'ArrowRight' ? 1 : panels.length - 1);
        select(panels[i % panels.length].getAttribute('data-lang'), g);
      });
      list.appendChild(b);
    });
    g.insertBefore(list, g.firstChild);
  });
  if (groups.length) select('curl');
})();`;

/** The page's policy: the static-page policy, plus exactly the script above. */
export const REFERENCE_CSP = `${staticPageCsp(REFERENCE_CSS)}; script-src ${cspHash(REFERENCE_JS)}`;

type Json = Record<string, unknown>;
interface Operation { method: string; path: string; op: Json }

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op) out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

const anchor = (o: Operation) => `${o.method}-${o.path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
const tagId = (t: string) => `tag-${t.replace(/[^A-Za-z0-9]+/g, '-')}`;
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** Text of the document with its `code` spans rendered as code (the document's texts are short Markdown). */
export function prose(text: unknown): SafeHtml {
  const parts = String(text ?? '').split('`');
  // An odd backtick leaves the last part as text.
  return html`${parts.map((p, i) => (i % 2 === 1 && i < parts.length - 1 ? html`<code>${p}</code>` : i % 2 === 1 ? `\`${p}` : p))}`;
}

/** The credential schemes of the Authentication section, by the name an example records. */
const AUTH: Record<string, { id: string; label: DocsKey }> = {
  none: { id: '', label: 'auth.none' },
  user: { id: 'auth-access-token', label: 'auth.user' },
  'user-tesla': { id: 'auth-access-token', label: 'auth.user' },
  app: { id: 'auth-application-token', label: 'auth.app' },
  client: { id: 'auth-client', label: 'auth.client' },
  management: { id: 'auth-management', label: 'auth.management' },
  'management-bearer': { id: 'auth-management', label: 'auth.managementBearer' },
};

const code = (text: string) => html`<code>${text}</code>`;
const codes = (...texts: string[]) => html`${texts.map((x, i) => html`${i ? ', ' : ''}<code>${x}</code>`)}`;
const opLink = (id: string, label: string) => html`<a href="#${id}">${label}</a>`;

function authentication(base: string, t: DocsTranslate): SafeHtml {
  const token = opLink('post-oauth-token', 'POST /oauth/token');
  return html`<section id="authentication" aria-labelledby="authentication-title"><h2 id="authentication-title">${t('auth.title')}</h2>
    <p>${t('auth.intro')}</p>
    <div class="scroll" role="region" aria-label="${t('auth.table')}" tabindex="0"><table><tr><th scope="col">${t('auth.credential')}</th><th scope="col">${t('auth.source')}</th><th scope="col">${t('auth.sent')}</th></tr>
    <tr id="auth-access-token"><td>${t('auth.accessName')}</td>
      <td>${t('auth.accessSource', { authorize: opLink('get-oauth-authorize', 'GET /oauth/authorize'), token, vars: codes('ACCESS_TOKEN', 'REFRESH_TOKEN') })}</td>
      <td><code>Authorization: Bearer ACCESS_TOKEN</code></td></tr>
    <tr id="auth-application-token"><td>${t('auth.appName')}</td>
      <td>${t('auth.appSource', { token: opLink('post-oauth2-token', 'POST /oauth2/token'), grant: code('grant_type=client_credentials'), prefix: code('client_…'), vars: code('APPLICATION_TOKEN') })}</td>
      <td>${t('auth.appSent', { header: code('Authorization: Bearer APPLICATION_TOKEN'), userId: code('sc-user-id') })}</td></tr>
    <tr id="auth-client"><td>${t('auth.clientName')}</td>
      <td>${t('auth.clientSource', { vars: codes('CLIENT_ID', 'CLIENT_SECRET') })}</td>
      <td>${t('auth.clientSent', { basic: code('client_secret_basic'), token, id: code('client_id'), secret: code('client_secret') })}</td></tr>
    <tr id="auth-management"><td>${t('auth.managementName')}</td>
      <td>${t('auth.managementSource', { vars: code('MANAGEMENT_TOKEN') })}</td>
      <td>${t('auth.managementSent', { user: code('default') })}</td></tr>
    </table></div>
    <p>${t('auth.sdk', { package: code('smartcar'), fetch: code('fetch'), base: code(base),
      vars: codes('SMARTCAR_API_ORIGIN', 'SMARTCAR_AUTH_ORIGIN', 'SMARTCAR_MANAGEMENT_API_ORIGIN', 'SMARTCAR_API_V3_ORIGIN') })}</p></section>`;
}

function fieldTable(label: SafeHtml, rows: FieldRow[], t: DocsTranslate): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0"><table><tr><th scope="col">${t('ref.field')}</th><th scope="col">${t('ref.type')}</th><th scope="col">${t('ref.required')}</th><th scope="col">${t('ref.description')}</th></tr>
    ${rows.map((r) => html`<tr><td><code>${r.name}</code></td><td>${r.type}</td><td>${r.required ? t('ref.yes') : t('ref.no')}</td><td>${prose(r.description)}</td></tr>`)}</table></div>`;
}

function parameters(o: Operation, t: DocsTranslate): SafeHtml {
  const params = (o.op.parameters ?? []) as Json[];
  if (params.length === 0) return html``;
  return html`<h3>${t('ref.parameters')}</h3><div class="scroll" role="region" aria-label="${t('ref.parametersOf', { operation: `${o.method} ${o.path}` })}" tabindex="0"><table>
    <tr><th scope="col">${t('ref.name')}</th><th scope="col">${t('ref.in')}</th><th scope="col">${t('ref.type')}</th><th scope="col">${t('ref.required')}</th><th scope="col">${t('ref.description')}</th><th scope="col">${t('ref.example')}</th></tr>
    ${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${typeLabel((p.schema ?? {}) as Json)}</td><td>${p.required ? t('ref.yes') : t('ref.no')}</td>
    <td>${prose(p.description ?? '')}</td><td>${p.example === undefined ? '' : html`<code>${String(p.example)}</code>`}</td></tr>`)}</table></div>`;
}

function requestBody(o: Operation, t: DocsTranslate): SafeHtml {
  const content = ((o.op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const entries = Object.entries(content);
  if (entries.length === 0) return html``;
  return html`<h3>${t('ref.requestBody')}</h3>${entries.map(([type, c]) => html`<p><code>${type}</code></p>
    ${fieldTable(t('ref.requestFields', { operation: `${o.method} ${o.path}` }), fieldRows(c.schema as Json | undefined), t)}`)}`;
}

function responses(o: Operation, t: DocsTranslate): SafeHtml {
  const rs = Object.entries((o.op.responses ?? {}) as Record<string, Json>);
  if (rs.length === 0) return html``;
  const ok = rs.find(([status, r]) => status.startsWith('2') && Object.values((r.content ?? {}) as Record<string, Json>)[0]?.schema);
  const schema = ok ? Object.values((ok[1].content ?? {}) as Record<string, Json>)[0]?.schema as Json : undefined;
  return html`<h3>${t('ref.responses')}</h3><ul>${rs.map(([status, r]) => html`<li><strong>${status}</strong> ${prose(r.description ?? '')}</li>`)}</ul>
    ${ok && schema ? html`<h4>${t('ref.answerFields', { status: ok[0] })}</h4>${fieldTable(t('ref.responseFields', { operation: `${o.method} ${o.path}` }), fieldRows(schema), t)}` : ''}`;
}

function example(o: Operation, base: string, examples: Record<string, OperationExample>, t: DocsTranslate): SafeHtml {
  const key = `${o.method} ${o.path}`;
  const ex = examples[key];
  if (!ex) return html``;
  const id = anchor(o);
  const res = ex.response;
  return html`<h3>${t('ref.example')}</h3><div class="tabs" data-tabs id="${id}-example">
      <div class="tab-panel" id="${id}-curl" data-lang="curl"><h4 class="tab-title">curl</h4><pre tabindex="0"><code>${curlSnippet(base, o.method, o.path, ex.request)}</code></pre></div>
      <div class="tab-panel" id="${id}-node" data-lang="node"><h4 class="tab-title">Node.js</h4><pre tabindex="0"><code>${nodeSnippet(base, key, ex.request)}</code></pre></div>
    </div>
    <h4>${t('ref.response', { status: html`${res.status}${res.contentType ? html` <code>${res.contentType}</code>` : ''}` })}</h4>
    ${res.headers ? html`<p>${Object.entries(res.headers).map(([k, v], i) => html`${i ? ', ' : ''}<code>${k}: ${v}</code>`)}</p>` : ''}
    ${res.body === undefined ? (res.contentType ? html`<p>${t('ref.htmlPage')}</p>` : '') : html`<pre tabindex="0"><code>${typeof res.body === 'string' ? res.body : pretty(res.body)}</code></pre>`}`;
}

function operationBlock(o: Operation, base: string, examples: Record<string, OperationExample>, t: DocsTranslate): SafeHtml {
  const auth = AUTH[String(o.op['x-example-auth'] ?? '')] ?? (o.op.security ? undefined : AUTH.none);
  const search = `${o.method} ${o.path} ${String(o.op.summary ?? '')} ${((o.op.tags ?? []) as string[]).join(' ')}`.toLowerCase();
  return html`<details class="op" id="${anchor(o)}" data-search="${search}"><summary><span class="m">${o.method}</span> <code>${o.path}</code>
    ${o.op.summary ? html` — <span lang="en">${prose(o.op.summary)}</span>` : ''}</summary>
    ${o.op.description ? html`<p lang="en">${prose(o.op.description)}</p>` : ''}
    ${auth ? html`<p>${t('ref.operationAuth', { credential: auth.id ? html`<a href="#${auth.id}">${t(auth.label)}</a>` : t(auth.label) })}</p>` : ''}
    ${parameters(o, t)}${requestBody(o, t)}${responses(o, t)}${example(o, base, examples, t)}</details>`;
}

/**
 * The browsable API reference, rendered on the server from the OpenAPI document: an Authentication
 * section, then every operation with its fields as tables and its recorded example as curl and Node.js.
 * The page's own words are in `lang` (English when it is not one of the five); the document's texts stay English.
 */
export function referencePage(doc: Json, examples: Record<string, OperationExample> = {}, lang = 'en'): string {
  const t = docsTranslator(lang);
  const ops = operations(doc);
  const tags = ((doc.tags ?? []) as Json[]).map((t) => String(t.name));
  const byTag = new Map<string, Operation[]>();
  for (const o of ops) {
    const tag = String(((o.op.tags ?? []) as string[])[0] ?? 'Other');
    if (!tags.includes(tag)) tags.push(tag);
    byTag.set(tag, [...(byTag.get(tag) ?? []), o]);
  }
  const sections = tags.filter((tag) => byTag.has(tag));
  const info = (doc.info ?? {}) as Json;
  const base = String(((doc.servers ?? []) as Json[])[0]?.url ?? '');
  const tagInfo = new Map(((doc.tags ?? []) as Json[]).map((t) => [String(t.name), String(t.description ?? '')]));
  const title = t('ref.title', { title: String(info.title ?? 'API') });
  return page({
    title: docsPlainTranslator(lang)('ref.title', { title: String(info.title ?? 'API') }),
    lang: docsLang(lang),
    head: html`<style>${raw(REFERENCE_CSS)}</style>`,
    body: html`<main data-search-status="${t('ref.searchStatus')}" data-tab-list="${t('ref.tabList')}">${languageLinks(lang)}<h1>${title}</h1><p lang="en">${prose(info.description ?? '')}</p>
      <p>${t('ref.englishNote')}</p>
      <p>${t('ref.machine', { openapi: html`<a href="/openapi.json">/openapi.json</a>`, version: String(doc.openapi), errors: html`<a href="/docs/errors">/docs/errors</a>` })}</p>
      <nav aria-label="${t('ref.sections')}"><ul><li><a href="#authentication">${t('auth.title')}</a></li>
        ${sections.map((tag) => html`<li><a href="#${tagId(tag)}">${tag}</a> (${byTag.get(tag)!.length})</li>`)}</ul></nav>
      ${authentication(base, t)}
      <div id="search-box" hidden><label for="op-search">${t('ref.search')}</label>
        <input type="search" id="op-search" placeholder="odometer, POST, /v3/connections…" autocomplete="off"><p id="search-status" role="status" aria-live="polite"></p></div>
      ${sections.map((tag) => html`<section class="tag-section" id="${tagId(tag)}" aria-labelledby="${tagId(tag)}-title"><h2 id="${tagId(tag)}-title">${tag}</h2><p lang="en">${prose(tagInfo.get(tag) ?? '')}</p>
        ${byTag.get(tag)!.map((o) => operationBlock(o, base, examples, t))}</section>`)}
    </main><script>${raw(REFERENCE_JS)}</script>`,
  });
}
