import type { FastifyInstance } from 'fastify';
import { CATALOGUE, errorAnchor, errorPage } from '@opencar/core';
import { html, page, staticPageCsp } from '@opencar/ui';

/**
 * The error reference every `docURL` points at: `/docs/errors` lists each page, and
 * `/docs/errors/<type-page>#<code>` explains every error of that type and what to do about it.
 */
export async function errorDocs(app: FastifyInstance): Promise<void> {
  const pages = new Map<string, (typeof CATALOGUE)[number][]>();
  for (const entry of CATALOGUE) {
    const name = errorPage(entry.type);
    pages.set(name, [...(pages.get(name) ?? []), entry]);
  }

  const csp = staticPageCsp();
  app.addHook('onRequest', async (_req, reply) => { reply.header('content-security-policy', csp); });
  app.get('/docs/errors', async (_req, reply) => reply.type('text/html').send(page({
    title: 'opencar error reference',
    body: html`<main><h1>Error reference</h1><p>Every API error carries <code>type</code>, <code>code</code>,
      <code>statusCode</code>, <code>resolution</code> and a <code>docURL</code> that links here.</p>
      <ul>${[...pages.entries()].map(([name, entries]) => html`<li><a href="/docs/errors/${name}">${entries[0]!.type}</a>
      (${entries.length})</li>`)}</ul></main>`,
  })));

  app.get<{ Params: { page: string } }>('/docs/errors/:page', async (req, reply) => {
    const entries = pages.get(req.params.page);
    if (!entries) return reply.code(404).type('text/html').send(page({ title: 'Not found', body: html`<main><h1>No such error page</h1><p><a href="/docs/errors">All errors</a></p></main>` }));
    return reply.type('text/html').send(page({
      title: `${entries[0]!.type} errors — opencar`,
      body: html`<main><p><a href="/docs/errors">All errors</a></p><h1>${entries[0]!.type} errors</h1>
        ${entries.map((e) => html`<section id="${errorAnchor(e.code)}"><h2>${e.type}:${e.code ?? 'null'}</h2>
        <table><tr><th>HTTP status</th><td>${e.status}</td></tr><tr><th>resolution.type</th><td>${e.resolution ?? 'null'}</td></tr>
        <tr><th>Meaning</th><td>${e.description}</td></tr><tr><th>What to do</th><td>${e.action}</td></tr>
        <tr><th>Suggested message for the owner</th><td>${e.suggestedUserMessage}</td></tr></table></section>`)}</main>`,
    }));
  });
}
