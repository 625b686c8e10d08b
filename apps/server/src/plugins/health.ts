import type { FastifyInstance } from 'fastify';
import type { Storage } from '@opencar/storage';

/** `/healthz`: the process answers. `/readyz`: storage answers too. */
export function health(storage: Storage) {
  return async function healthRoutes(app: FastifyInstance): Promise<void> {
    app.get('/healthz', { config: { internal: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { config: { internal: true } }, async (_req, reply) => {
      try {
        await storage.ping();
        return { status: 'ready', storage: storage.dialect };
      } catch {
        return reply.code(503).send({ status: 'unavailable', storage: storage.dialect });
      }
    });
  };
}
