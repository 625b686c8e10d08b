import type { FastifyInstance } from 'fastify';

/** Every response carries `sc-request-id` (the UUID Fastify generated for the request). */
export function requestId(app: FastifyInstance): void {
  // Callback-style hooks on the hot path: no promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('sc-request-id', req.id);
    done();
  });
}
