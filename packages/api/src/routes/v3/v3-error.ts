import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, docUrl } from '@opencar/core';
import { asApiError } from '../../pipeline/run-route.js';

/** The v3 error envelope (wire-contract §6): `{"errors":[{status, type, code, title, detail, links, resolution, suggestedUserMessage}]}`. */
export function v3ErrorHandler(publicUrl: string) {
  return function handle(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
    const known = asApiError(error, publicUrl, req.apiCall?.appId ?? '', req.apiCall?.vehicleId ?? '');
    let api: ApiError;
    if (known instanceof ApiError) api = known;
    else if (error.validation) api = new ApiError('VALIDATION', { description: error.message });
    else if (error.statusCode === 404) api = new ApiError('RESOURCE_NOT_FOUND:PATH');
    else {
      req.log.error({ err: error }, 'unhandled error');
      api = new ApiError('SERVER:INTERNAL');
    }
    if (api.retryAfter !== undefined) reply.header('retry-after', String(Math.ceil(api.retryAfter)));
    if (api.headers) reply.headers(api.headers);
    const body = {
      errors: [{
        status: String(api.statusCode), type: api.type, code: api.code, title: api.code ?? api.type,
        detail: api.description, links: { about: docUrl(publicUrl, api.type, api.code) },
        resolution: api.resolution, suggestedUserMessage: api.suggestedUserMessage,
      }],
    };
    return reply.code(api.statusCode).type('application/json').send(JSON.stringify(body));
  };
}
