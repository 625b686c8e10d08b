import { html, page, raw, type SafeHtml } from '@opencar/ui';

/** The reference page's own stylesheet (inlined; its CSP allows exactly this text by hash). */
export const REFERENCE_CSS = 'pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;font-size:13px}'
  + '.op{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 12px;margin:12px 0}'
  + '.m{display:inline-block;min-width:4.5em;font-weight:700}nav ul{columns:2}@media (max-width:600px){nav ul{columns:1}}';

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
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

function parameters(op: Json): SafeHtml {
  const params = (op.parameters ?? []) as Json[];
  if (params.length === 0) return html``;
  return html`<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr>
    ${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td>
    <td><code>${JSON.stringify(p.schema ?? {})}</code></td><td>${p.description ?? ''}</td></tr>`)}</table>`;
}

function body(op: Json): SafeHtml {
  const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const entries = Object.entries(content);
  if (entries.length === 0) return html``;
  return html`<h4>Request body</h4>${entries.map(([type, c]) => html`<p><code>${type}</code></p><pre>${pretty(c.schema)}</pre>`)}`;
}

function responses(op: Json): SafeHtml {
  const rs = Object.entries((op.responses ?? {}) as Record<string, Json>);
  if (rs.length === 0) return html``;
  return html`<h4>Responses</h4>${rs.map(([status, r]) => {
    const schema = Object.values((r.content ?? {}) as Record<string, Json>)[0]?.schema;
    return html`<p><strong>${status}</strong> ${r.description ?? ''}</p>${schema ? html`<pre>${pretty(schema)}</pre>` : ''}`;
  })}`;
}

/** The browsable API reference, rendered on the server from the OpenAPI document (no client assets). */
export function referencePage(doc: Json): string {
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
  const tagInfo = new Map(((doc.tags ?? []) as Json[]).map((t) => [String(t.name), String(t.description ?? '')]));
  return page({
    title: `${String(info.title ?? 'API')} reference`,
    head: html`<style>${raw(REFERENCE_CSS)}</style>`,
    body: html`<main><h1>${info.title} reference</h1><p>${info.description ?? ''}</p>
      <p>Machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${doc.openapi}). Errors: <a href="/docs/errors">/docs/errors</a>.</p>
      <nav aria-label="Endpoints"><ul>${sections.map((t) => html`<li><a href="#tag-${t.replace(/[^A-Za-z0-9]+/g, '-')}">${t}</a> (${byTag.get(t)!.length})</li>`)}</ul></nav>
      ${sections.map((t) => html`<section id="tag-${t.replace(/[^A-Za-z0-9]+/g, '-')}"><h2>${t}</h2><p>${tagInfo.get(t) ?? ''}</p>
        ${byTag.get(t)!.map((o) => html`<details class="op" id="${anchor(o)}"><summary><span class="m">${o.method}</span> <code>${o.path}</code>
          ${o.op.summary ? html` — ${o.op.summary}` : ''}</summary>${o.op.description ? html`<p>${o.op.description}</p>` : ''}
          ${parameters(o.op)}${body(o.op)}${responses(o.op)}</details>`)}</section>`)}
    </main>`,
  });
}
