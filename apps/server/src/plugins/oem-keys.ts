import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import { PUBLIC_KEY_PATH, type TeslaBackend } from '@opencar/connectors';

/**
 * `GET /.well-known/appspecific/com.tesla.3p.public-key.pem`: the operator's public key for Tesla
 * Vehicle Commands, where Tesla requires it (fetched at partner registration; cars show the domain
 * when the owner pairs the key). 404 until the key pair is generated.
 */
export function oemPublicKeys(tesla: TeslaBackend | undefined) {
  return async function oemKeyRoutes(app: FastifyInstance): Promise<void> {
    app.get(PUBLIC_KEY_PATH, {
      schema: {
        tags: ['Connectors'], summary: 'Public key for Tesla Vehicle Commands (PEM, EC secp256r1)',
        description: 'Served once the operator generated the key pair (`npm run tesla -- keys`). Tesla fetches it from the registered domain.',
      },
    }, async (_req, reply) => {
      const pem = tesla ? await tesla.keys.publicPem() : undefined;
      if (!pem) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No Tesla key pair has been generated on this platform.' });
      return reply.type('application/x-pem-file').header('cache-control', 'public, max-age=300').send(pem);
    });
  };
}
