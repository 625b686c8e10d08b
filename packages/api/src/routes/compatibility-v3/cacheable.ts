import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256 } from '@opencar/core';

/** Public compatibility data changes only with a new release: caches may keep it for a day. */
export const CACHE_CONTROL = 'public, max-age=86400';

/** Whether an `If-None-Match` header names this entity tag (weak comparison, as RFC 9110 asks for this header). */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

/**
 * Sends a JSON document with a strong ETag (the SHA-256 of its bytes) and `Cache-Control: public,
 * max-age=86400`; a request whose `If-None-Match` names the tag gets `304` without a body.
 */
export function sendCacheable(req: FastifyRequest, reply: FastifyReply, document: unknown): FastifyReply {
  const json = JSON.stringify(document);
  const etag = `"${sha256(json)}"`;
  reply.header('etag', etag).header('cache-control', CACHE_CONTROL);
  if (matchesEtag(req.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(json);
}
