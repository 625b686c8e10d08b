import { cspHash, html, page, raw, staticPageCsp, type SafeHtml } from '@opencar/ui';
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
 * the page is complete — the filter stays hidden and both examples show one after the other.
 */
export const REFERENCE_JS = `(function () {
  var box = document.getElementById('search-box'), input = document.getElementById('op-search'), status = document.getElementById('search-status');
  var ops = [].slice.call(document.querySelectorAll('.op')), sections = [].slice.call(document.querySelectorAll('.tag-section'));
  if (box && input) {
    box.hidden = false;
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
      ops.forEach(function (op) {
        var text = op.getAttribute('data-search'), hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        op.hidden = !hit; if (hit) shown++;
      });
      sections.forEach(function (s) { s.hidden = !s.querySelector('.op:not([hidden])'); });
      status.textContent = words.length ? shown + ' of ' + ops.length + ' operations' : '';
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
    list.setAttribute('role', 'tablist'); list.setAttribute('aria-label', 'Example language');
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
const AUTH: Record<string, { id: string; label: string }> = {
  none: { id: '', label: 'None: a URL the owner opens in a browser, or a public document' },
  user: { id: 'auth-access-token', label: 'Access token of a connected owner (Bearer)' },
  'user-tesla': { id: 'auth-access-token', label: 'Access token of a connected owner (Bearer)' },
  app: { id: 'auth-application-token', label: 'Application token (Bearer, API v3)' },
  client: { id: 'auth-client', label: 'Client id and client secret (HTTP Basic)' },
  management: { id: 'auth-management', label: 'Application management token (HTTP Basic, user default)' },
  'management-bearer': { id: 'auth-management', label: 'Application management token (Bearer)' },
};

function authentication(base: string): SafeHtml {
  return html`<section id="authentication" aria-labelledby="authentication-title"><h2 id="authentication-title">Authentication</h2>
    <p>Each operation below names the credential it takes. The examples read credentials from environment variables (shown in capitals);
    every other value in them is what this server answered on a simulated vehicle.</p>
    <div class="scroll" role="region" aria-label="Credentials" tabindex="0"><table><tr><th scope="col">Credential</th><th scope="col">Where it comes from</th><th scope="col">How it is sent</th></tr>
    <tr id="auth-access-token"><td>Access token (API v2.0 and v3 vehicle endpoints)</td>
      <td>The owner approves the application in Connect (<a href="#get-oauth-authorize">GET /oauth/authorize</a>); the application exchanges the code at
      <a href="#post-oauth-token">POST /oauth/token</a> and renews it there with the refresh token. <code>ACCESS_TOKEN</code>, <code>REFRESH_TOKEN</code>.</td>
      <td><code>Authorization: Bearer ACCESS_TOKEN</code></td></tr>
    <tr id="auth-application-token"><td>Application token (API v3)</td>
      <td><a href="#post-oauth2-token">POST /oauth2/token</a> with <code>grant_type=client_credentials</code> and the application's v3 client id
      (<code>client_…</code>) and secret. Valid one hour. <code>APPLICATION_TOKEN</code>.</td>
      <td><code>Authorization: Bearer APPLICATION_TOKEN</code>, and <code>sc-user-id</code> naming the owner on vehicle endpoints</td></tr>
    <tr id="auth-client"><td>Client id and secret</td>
      <td>The application's credentials from the dashboard. <code>CLIENT_ID</code>, <code>CLIENT_SECRET</code>.</td>
      <td>HTTP Basic (<code>client_secret_basic</code>): user name the client id, password the secret. At <a href="#post-oauth-token">POST /oauth/token</a>
      the form fields <code>client_id</code> and <code>client_secret</code> may carry them instead. Also for compatibility and the simulator.</td></tr>
    <tr id="auth-management"><td>Application management token</td>
      <td>Shown in the dashboard beside the client secret. <code>MANAGEMENT_TOKEN</code>.</td>
      <td>HTTP Basic with user name <code>default</code> and the token as password (management endpoints); as a bearer token to unsubscribe a vehicle from a webhook.</td></tr>
    </table></div>
    <p>The Node.js examples use the official <code>smartcar</code> package where it has the call, and <code>fetch</code> otherwise. Point the package at this server
    by setting <code>SMARTCAR_API_ORIGIN</code>, <code>SMARTCAR_AUTH_ORIGIN</code>, <code>SMARTCAR_MANAGEMENT_API_ORIGIN</code> and <code>SMARTCAR_API_V3_ORIGIN</code>
    to <code>${base}</code>.</p></section>`;
}

function fieldTable(label: string, rows: FieldRow[]): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0"><table><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr>
    ${rows.map((r) => html`<tr><td><code>${r.name}</code></td><td>${r.type}</td><td>${r.required ? 'yes' : 'no'}</td><td>${prose(r.description)}</td></tr>`)}</table></div>`;
}

function parameters(o: Operation): SafeHtml {
  const params = (o.op.parameters ?? []) as Json[];
  if (params.length === 0) return html``;
  return html`<h3>Parameters</h3><div class="scroll" role="region" aria-label="Parameters of ${o.method} ${o.path}" tabindex="0"><table>
    <tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th><th scope="col">Example</th></tr>
    ${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${typeLabel((p.schema ?? {}) as Json)}</td><td>${p.required ? 'yes' : 'no'}</td>
    <td>${prose(p.description ?? '')}</td><td>${p.example === undefined ? '' : html`<code>${String(p.example)}</code>`}</td></tr>`)}</table></div>`;
}

function requestBody(o: Operation): SafeHtml {
  const content = ((o.op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const entries = Object.entries(content);
  if (entries.length === 0) return html``;
  return html`<h3>Request body</h3>${entries.map(([type, c]) => html`<p><code>${type}</code></p>
    ${fieldTable(`Request fields of ${o.method} ${o.path}`, fieldRows(c.schema as Json | undefined))}`)}`;
}

function responses(o: Operation): SafeHtml {
  const rs = Object.entries((o.op.responses ?? {}) as Record<string, Json>);
  if (rs.length === 0) return html``;
  const ok = rs.find(([status, r]) => status.startsWith('2') && Object.values((r.content ?? {}) as Record<string, Json>)[0]?.schema);
  const schema = ok ? Object.values((ok[1].content ?? {}) as Record<string, Json>)[0]?.schema as Json : undefined;
  return html`<h3>Responses</h3><ul>${rs.map(([status, r]) => html`<li><strong>${status}</strong> ${prose(r.description ?? '')}</li>`)}</ul>
    ${ok && schema ? html`<h4>Fields of the ${ok[0]} answer</h4>${fieldTable(`Response fields of ${o.method} ${o.path}`, fieldRows(schema))}` : ''}`;
}

function example(o: Operation, base: string, examples: Record<string, OperationExample>): SafeHtml {
  const key = `${o.method} ${o.path}`;
  const ex = examples[key];
  if (!ex) return html``;
  const id = anchor(o);
  const res = ex.response;
  return html`<h3>Example</h3><div class="tabs" data-tabs id="${id}-example">
      <div class="tab-panel" id="${id}-curl" data-lang="curl"><h4 class="tab-title">curl</h4><pre tabindex="0"><code>${curlSnippet(base, o.method, o.path, ex.request)}</code></pre></div>
      <div class="tab-panel" id="${id}-node" data-lang="node"><h4 class="tab-title">Node.js</h4><pre tabindex="0"><code>${nodeSnippet(base, key, ex.request)}</code></pre></div>
    </div>
    <h4>Response: ${res.status}${res.contentType ? html` <code>${res.contentType}</code>` : ''}</h4>
    ${res.headers ? html`<p>${Object.entries(res.headers).map(([k, v], i) => html`${i ? ', ' : ''}<code>${k}: ${v}</code>`)}</p>` : ''}
    ${res.body === undefined ? (res.contentType ? html`<p>An HTML page for the owner.</p>` : '') : html`<pre tabindex="0"><code>${typeof res.body === 'string' ? res.body : pretty(res.body)}</code></pre>`}`;
}

function operationBlock(o: Operation, base: string, examples: Record<string, OperationExample>): SafeHtml {
  const auth = AUTH[String(o.op['x-example-auth'] ?? '')] ?? (o.op.security ? undefined : AUTH.none);
  const search = `${o.method} ${o.path} ${String(o.op.summary ?? '')} ${((o.op.tags ?? []) as string[]).join(' ')}`.toLowerCase();
  return html`<details class="op" id="${anchor(o)}" data-search="${search}"><summary><span class="m">${o.method}</span> <code>${o.path}</code>
    ${o.op.summary ? html` — ${prose(o.op.summary)}` : ''}</summary>
    ${o.op.description ? html`<p>${prose(o.op.description)}</p>` : ''}
    ${auth ? html`<p>Authentication: ${auth.id ? html`<a href="#${auth.id}">${auth.label}</a>` : auth.label}</p>` : ''}
    ${parameters(o)}${requestBody(o)}${responses(o)}${example(o, base, examples)}</details>`;
}

/**
 * The browsable API reference, rendered on the server from the OpenAPI document: an Authentication
 * section, then every operation with its fields as tables and its recorded example as curl and Node.js.
 */
export function referencePage(doc: Json, examples: Record<string, OperationExample> = {}): string {
  const ops = operations(doc);
  const tags = ((doc.tags ?? []) as Json[]).map((t) => String(t.name));
  const byTag = new Map<string, Operation[]>();
  for (const o of ops) {
    const tag = String(((o.op.tags ?? []) as string[])[0] ?? 'Other');
    if (!tags.includes(tag)) tags.push(tag);
    byTag.set(tag, [...(byTag.get(tag) ?? []), o]);
  }
  const sections = tags.filter((t) => byTag.has(t));
  const info = (doc.info ?? {}) as Json;
  const base = String(((doc.servers ?? []) as Json[])[0]?.url ?? '');
  const tagInfo = new Map(((doc.tags ?? []) as Json[]).map((t) => [String(t.name), String(t.description ?? '')]));
  return page({
    title: `${String(info.title ?? 'API')} reference`,
    head: html`<style>${raw(REFERENCE_CSS)}</style>`,
    body: html`<main><h1>${info.title} reference</h1><p>${prose(info.description ?? '')}</p>
      <p>Machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${doc.openapi}). Errors: <a href="/docs/errors">/docs/errors</a>.</p>
      <nav aria-label="Sections"><ul><li><a href="#authentication">Authentication</a></li>
        ${sections.map((t) => html`<li><a href="#${tagId(t)}">${t}</a> (${byTag.get(t)!.length})</li>`)}</ul></nav>
      ${authentication(base)}
      <div id="search-box" hidden><label for="op-search">Search operations</label>
        <input type="search" id="op-search" placeholder="odometer, POST, /v3/connections…" autocomplete="off"><p id="search-status" role="status" aria-live="polite"></p></div>
      ${sections.map((t) => html`<section class="tag-section" id="${tagId(t)}" aria-labelledby="${tagId(t)}-title"><h2 id="${tagId(t)}-title">${t}</h2><p>${prose(tagInfo.get(t) ?? '')}</p>
        ${byTag.get(t)!.map((o) => operationBlock(o, base, examples))}</section>`)}
    </main><script>${raw(REFERENCE_JS)}</script>`,
  });
}
