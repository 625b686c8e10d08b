import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { ApiError } from '@opencar/core';

/** A JSON number too large for a double (`1e309`) parses to Infinity: refused, never stored. */
function finiteOnly(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ApiError('VALIDATION', { description: 'The request body has a number outside the range of a double.' });
  return value;
}

/**
 * JSON bodies. The Node SDK sends `Content-Type: application/json` on bodyless GET/DELETE calls and
 * `{}` on webhook unsubscribe (wire-contract §16.13): an empty body is not an error.
 */
export function jsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') { done(null, undefined); return; }
    let parsed: unknown;
    try {
      // `__proto__` and `constructor.prototype` keys are refused, as Fastify's own parser does.
      parsed = sjson.parse(text, finiteOnly, { protoAction: 'error', constructorAction: 'error' });
    } catch (err) {
      done(err instanceof ApiError ? err : new ApiError('VALIDATION', { description: 'The request body is not valid JSON.' }), undefined);
      return;
    }
    done(null, parsed);
  });
}
