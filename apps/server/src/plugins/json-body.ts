import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';

/**
 * JSON bodies. The Node SDK sends `Content-Type: application/json` on bodyless GET/DELETE calls and
 * `{}` on webhook unsubscribe (wire-contract §16.13): an empty body is not an error.
 */
export function jsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') { done(null, undefined); return; }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('VALIDATION', { description: 'The request body is not valid JSON.' }), undefined);
    }
  });
}
