import type { FastifyInstance } from 'fastify';
import type { WebServices } from '../services.js';

/** Every page of the owner portal under /account. */
export function ownerRoutes(_s: WebServices) {
  return async (_app: FastifyInstance) => {};
}
