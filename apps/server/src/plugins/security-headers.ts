import type { FastifyInstance } from 'fastify';
import type { Config } from '@opencar/core';

/**
 * Headers every response starts with; a route may replace any of them (HTML pages bring their own
 * CSP, static assets their own caching). API answers carry owners' vehicle data and credentials,
 * so nothing is cached by default and nothing is sniffed, framed or rendered as a document. Over
 * TLS (or behind an https public URL) browsers are told to stay on https for a year.
 */
export function securityHeaders(app: FastifyInstance, config: Readonly<Pick<Config, 'publicUrl' | 'tls'>>): void {
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  };
  if (config.tls || config.publicUrl.startsWith('https:')) headers['strict-transport-security'] = 'max-age=31536000';
  // Callback-style: no promise per request on the hot path.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
