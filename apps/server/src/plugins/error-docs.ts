import type { FastifyInstance } from 'fastify';
import { ApiError, CATALOGUE, apiErrorBody, errorAnchor, errorPage, type ErrorKey } from '@opencar/core';
import { html, page, staticPageCsp } from '@opencar/ui';

/**
 * The error reference every `docURL` points at: `/docs/errors` lists each page, and
 * `/docs/errors/<type-page>#<code>` explains every error of that type and what to do about it.
 */
export function errorDocs(publicUrl: string) {
  return async function errorDocRoutes(app: FastifyInstance): Promise<void> {
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
          <tr><th>Suggested message for the owner</th><td>${e.suggestedUserMessage}</td></tr></table>
          <h3>Example body</h3><pre>${exampleBody(e, publicUrl)}</pre>
          <h3>Reproduce it in the simulator</h3><p>Make the next call to a simulated vehicle of your app fail with this error
          (or use Fault injection in the dashboard's simulator console), then call any vehicle endpoint:</p>
          <pre>${reproduce(e, publicUrl)}</pre></section>`)}</main>`,
      }));
    });
  };
}

const keyOf = (e: (typeof CATALOGUE)[number]) => (e.code === null ? e.type : `${e.type}:${e.code}`) as ErrorKey;

/** The body the API answers with for this error (the request id is an example). */
function exampleBody(e: (typeof CATALOGUE)[number], publicUrl: string): string {
  return JSON.stringify(apiErrorBody(new ApiError(keyOf(e)), '5d6f2c1e-9a4b-4c1d-8e2f-0a1b2c3d4e5f', publicUrl), null, 2);
}

function reproduce(e: (typeof CATALOGUE)[number], publicUrl: string): string {
  return [
    `curl -u "$CLIENT_ID:$CLIENT_SECRET" -H 'content-type: application/json' \\`,
    `  -d '{"error":"${keyOf(e)}","count":1}' ${publicUrl}/simulator/vehicles/$VEHICLE_ID/faults`,
    `curl -H "Authorization: Bearer $ACCESS_TOKEN" ${publicUrl}/v2.0/vehicles/$VEHICLE_ID/odometer`,
  ].join('\n');
}
