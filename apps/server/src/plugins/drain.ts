import type { FastifyInstance } from 'fastify';

/**
 * How responses treat their connection.
 *
 * Draining on SIGTERM: once close() starts, new connections are refused and idle ones closed, but a
 * keep-alive connection that was busy becomes idle only after its response — and would then hold
 * close() open until the keep-alive timeout. Responses sent while closing therefore end their
 * connection.
 *
 * A body over the limit (413): Fastify asks to close the connection, but closing a socket whose
 * client is still uploading resets it, and the client never reads the answer. The connection is
 * kept instead: Node reads and drops the rest of the body (bounded by the request timeout), so the
 * client gets its 413.
 */
export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    else if (reply.statusCode === 413) reply.removeHeader('connection');
    done(null, payload);
  });
}
