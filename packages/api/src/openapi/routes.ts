import type { FastifyInstance } from 'fastify';
import { REFERENCE_CSP, referencePage } from './reference-page.js';
import { OPERATION_EXAMPLES, withExamples } from './examples.js';

/** `/openapi.json` (OpenAPI 3.1, generated from the route schemas) and the `/docs/api` reference page. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  let cached: string | undefined;
  let cachedPage: string | undefined;
  const document = () => (cached ??= JSON.stringify(withExamples(JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>)));
  app.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json').send(document()));
  app.get('/docs/api', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html').header('content-security-policy', REFERENCE_CSP)
      .send(cachedPage ??= referencePage(JSON.parse(document()) as Record<string, unknown>, OPERATION_EXAMPLES)));
}
