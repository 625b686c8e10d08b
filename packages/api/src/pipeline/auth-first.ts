import type { FastifyRequest } from 'fastify';

/**
 * Authentication as an `onRequest` hook, so an unauthenticated caller gets 401 before Fastify
 * judges the content type, the body or the query. The handler picks the result up with `of(req)`.
 */
export function authFirst<T>(auth: (req: FastifyRequest) => Promise<T>) {
  const seen = new WeakMap<FastifyRequest, T>();
  return {
    onRequest: async (req: FastifyRequest): Promise<void> => { seen.set(req, await auth(req)); },
    of(req: FastifyRequest): T {
      const found = seen.get(req);
      if (found === undefined) throw new Error('authFirst: onRequest hook did not run');
      return found;
    },
  };
}
