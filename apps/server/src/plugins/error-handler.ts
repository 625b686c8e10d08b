import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, OAuthError, apiErrorBody } from '@opencar/core';

/** Renders an ApiError as the exact v2.0 body (wire-contract §8.1). */
export function sendApiError(reply: FastifyReply, req: FastifyRequest, err: ApiError, publicUrl: string): FastifyReply {
  if (err.retryAfter !== undefined) reply.header('retry-after', String(Math.max(0, Math.ceil(err.retryAfter))));
  if (err.headers) reply.headers(err.headers);
  const body = apiErrorBody(err, req.id, publicUrl);
  return reply.code(err.statusCode).type('application/json').send(JSON.stringify(body));
}

export function fromFastifyError(err: FastifyError): ApiError | undefined {
  if (err.validation) {
    return new ApiError('VALIDATION', {
      description: `Request validation failed: ${err.message}`,
      detail: err.validation.map((v) => ({ field: v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || err.validationContext, message: v.message })),
    });
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('VALIDATION:PAYLOAD_TOO_LARGE', { cause: err });
  if (err.code?.startsWith('FST_ERR_CTP_')) {
    const description = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Unsupported Content-Type; send application/json.' : 'The request body is malformed.';
    return new ApiError('VALIDATION', { description, cause: err });
  }
  if (err.statusCode === 404) return new ApiError('RESOURCE_NOT_FOUND:PATH');
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError('VALIDATION', { description: 'The request is malformed.', cause: err });
  }
  return undefined;
}

/**
 * The one error handler: ApiError → v2 body; OAuthError → {error, error_description}; Fastify's own
 * 4xx → VALIDATION; anything else → SERVER:INTERNAL with nothing internal leaked.
 */
export function installErrorHandler(app: FastifyInstance, publicUrl: string): void {
    app.setErrorHandler((error: FastifyError, req, reply) => {
      if (error instanceof OAuthError) {
        if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
        return reply.code(error.statusCode).header('cache-control', 'no-store')
          .send({ error: error.error, error_description: error.errorDescription });
      }
      const api = error instanceof ApiError ? error : fromFastifyError(error);
      if (api) {
        if (api.statusCode >= 500) req.log.error({ err: api.cause ?? api }, 'request failed');
        return sendApiError(reply, req, api, publicUrl);
      }
      req.log.error({ err: error }, 'unhandled error');
      return sendApiError(reply, req, new ApiError('SERVER:INTERNAL'), publicUrl);
    });
}
