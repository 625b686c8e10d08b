import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { HTTP_STATUS, OperationError, isOperationName, runOperation, type OperationsContext } from '../operations/index.js';
import { OPERATOR_CONTENT_TYPE, SIGNATURE_HEADER, SignatureVerifier } from '../operations/cli-signature.js';

/**
 * POST /admin/api/<operation>: the operator CLI's way into a running server. The body is the JSON
 * arguments, signed with the platform key (see cli-signature.ts); answers `{result}` or
 * `{error: {kind, message}}`. Not part of the public API (hidden from the OpenAPI document).
 */
export function operatorApi(ctx: OperationsContext): FastifyPluginAsync {
  const verifier = new SignatureVerifier(ctx.secretKey);
  return async (app: FastifyInstance) => {
    app.addContentTypeParser(OPERATOR_CONTENT_TYPE, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    app.post<{ Params: { operation: string }; Body: string }>('/admin/api/:operation', { schema: { hide: true } }, async (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : '';
      const path = `/admin/api/${req.params.operation}`;
      const signature = req.headers[SIGNATURE_HEADER];
      if (!verifier.verify(typeof signature === 'string' ? signature : undefined, req.method, path, body)) {
        return reply.code(401).send({ error: { kind: 'unauthorized', message: 'operator signature missing, expired, reused or made with another key' } });
      }
      if (!isOperationName(req.params.operation)) return reply.code(404).send({ error: { kind: 'not_found', message: `no operation "${req.params.operation}"` } });
      let args: unknown;
      try { args = body ? JSON.parse(body) : {}; } catch { return reply.code(400).send({ error: { kind: 'invalid', message: 'the body is not JSON' } }); }
      try {
        const result = await runOperation(ctx, req.params.operation, args);
        req.log.info({ operation: req.params.operation, via: 'cli' }, 'operator operation');
        return reply.send({ result });
      } catch (err) {
        if (err instanceof OperationError) return reply.code(HTTP_STATUS[err.kind]).send({ error: { kind: err.kind, message: err.message } });
        throw err;
      }
    });
  };
}
