import type { FastifyReply } from 'fastify';
import { html, page, raw, staticPageCsp, type SafeHtml } from '@opencar/ui';

/** Admin-only styles (the page has no script and no inline style attributes). */
const ADMIN_CSS = `.bar{display:flex;gap:12px;align-items:center;justify-content:space-between;flex-wrap:wrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin:12px 0}
.tile{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px}.tile b{display:block;font-size:1.4rem}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px;margin:12px 0}.inline{display:inline}
.ok{color:#0a6b2c}.bad{color:#a40e26}.secret{font:1.1rem monospace;background:#fff8d6;padding:8px;word-break:break-all}
.danger{background:#a40e26;border-color:#a40e26}label{display:block;margin:6px 0}`;

const CSP = staticPageCsp(ADMIN_CSS).replace("form-action 'none'", "form-action 'self'");

export function sendAdminPage(reply: FastifyReply, title: string, body: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-store')
    .send(page({ title: `${title} · opencar admin`, head: html`<style>${raw(ADMIN_CSS)}</style>`, body: html`<main>${body}</main>` }));
}

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A one-button form posting an operation. */
export function actionButton(action: string, label: string, csrf: string, fields: Record<string, string> = {}, danger = false): SafeHtml {
  const hidden = Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form method="post" action="${action}" class="inline">${csrfField(csrf)}${hidden}<button type="submit"${danger ? raw(' class="danger"') : ''}>${label}</button></form>`;
}

export function header(email: string, csrf: string): SafeHtml {
  return html`<div class="bar"><p><a href="/admin">opencar admin</a></p><p>${email} ${actionButton('/admin/signout', 'Sign out', csrf)}</p></div>`;
}

export function table(headers: string[], rows: SafeHtml[][]): SafeHtml {
  if (rows.length === 0) return html`<p>(none)</p>`;
  return html`<table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`;
}
