import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '@opencar/core';

/**
 * The token endpoint speaks OAuth 2.0 only (RFC 6749 §5.2): whatever goes wrong — including a body
 * Fastify cannot parse or a content type it does not accept — the client gets `{error, error_description}`.
 */
export function tokenErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (error instanceof OAuthError) {
    if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
    return reply.code(error.statusCode).send({ error: error.error, error_description: error.errorDescription });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    req.log.info({ code: error.code }, 'token request unreadable');
    const description = status === 415 ? 'Send the token request as application/x-www-form-urlencoded.'
      : status === 413 ? 'The request body is too large.' : 'The request body could not be read.';
    return reply.code(status === 413 ? 413 : 400).send({ error: 'invalid_request', error_description: description });
  }
  req.log.error({ err: error }, 'token request failed');
  return reply.code(500).send({ error: 'server_error', error_description: 'The token request could not be completed.' });
}
