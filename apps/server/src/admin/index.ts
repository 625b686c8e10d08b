import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform.js';
import { platformOperations } from '../operations/platform-context.js';
import { operatorApi } from './operator-api.js';
import { adminPages } from './pages.js';
import { OperatorSessions } from './session.js';

/** /admin: the operator page (operator accounts only) and the signed operator interface the CLI uses. */
export function adminPlugin(platform: Platform) {
  return async (app: FastifyInstance) => {
    const ctx = platformOperations(platform);
    const secure = platform.config.publicUrl.startsWith('https:') || platform.config.tls !== undefined;
    await app.register(operatorApi(ctx));
    await app.register(adminPages(ctx, new OperatorSessions(platform.storage, platform.clock, platform.secretKey, secure), platform.throttle));
  };
}
