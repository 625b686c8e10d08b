import type { FastifyInstance } from 'fastify';

/** Every response carries `sc-request-id` (the UUID Fastify generated for the request). */
export function requestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('sc-request-id', req.id);
  });
}
