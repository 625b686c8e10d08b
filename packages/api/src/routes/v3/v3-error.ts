import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, docUrl } from '@opencar/core';
import { asApiError } from '../../pipeline/run-route.js';

/**
 * The v3 error object (wire-contract §6): `{"errors":[{status, type, code, title, detail, links,
 * resolution, suggestedUserMessage}]}`. The first error's `type`, `code`, `description`, `docURL`,
 * `resolution` and `suggestedUserMessage` are repeated at the top level: the official Node SDK builds its typed SmartcarError
 * only from a body with a top-level `type` (lib/util handleError), so a v3 failure reaches an SDK
 * app as `TYPE:CODE` rather than an untyped SDK_ERROR.
 */
export function v3ErrorBody(api: ApiError, publicUrl: string) {
  return {
    errors: [{
      status: String(api.statusCode), type: api.type, code: api.code, title: api.code ?? api.type,
      detail: api.description, links: { about: docUrl(publicUrl, api.type, api.code) },
      resolution: api.resolution, suggestedUserMessage: api.suggestedUserMessage,
    }],
    type: api.type, code: api.code, description: api.description, docURL: docUrl(publicUrl, api.type, api.code),
    resolution: api.resolution, suggestedUserMessage: api.suggestedUserMessage,
  };
}

/** Error handler of the v3 routes: every failure in the v3 error object. */
export function v3ErrorHandler(publicUrl: string, secretKey?: string) {
  return function handle(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
    const known = asApiError(error, { publicUrl, secretKey }, req.apiCall?.appId ?? '', req.apiCall?.vehicleId ?? '');
    let api: ApiError;
    if (known instanceof ApiError) api = known;
    else if (error.validation) api = new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: error.message });
    else if (error.statusCode === 404) api = new ApiError('RESOURCE_NOT_FOUND:PATH');
    else if (error.statusCode === 413) api = new ApiError('VALIDATION:PAYLOAD_TOO_LARGE');
    else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) api = new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'The request body could not be read as JSON.' });
    else {
      req.log.error({ err: error }, 'unhandled error');
      api = new ApiError('SERVER:INTERNAL');
    }
    if (api.retryAfter !== undefined) reply.header('retry-after', String(Math.ceil(api.retryAfter)));
    if (api.headers) reply.headers(api.headers);
    return reply.code(api.statusCode).type('application/json').send(JSON.stringify(v3ErrorBody(api, publicUrl)));
  };
}
