import type { FastifyInstance } from 'fastify';

/**
 * Draining on SIGTERM: once close() starts, new connections are refused and idle ones closed, but a
 * keep-alive connection that was busy becomes idle only after its response — and would then hold
 * close() open until the keep-alive timeout. Responses sent while closing therefore end their
 * connection.
 */
export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
