import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { readFileSync } from 'node:fs';
import type { Platform } from './platform.js';
import { requestId } from './plugins/request-id.js';
import { securityHeaders } from './plugins/security-headers.js';
import { jsonBody } from './plugins/json-body.js';
import { strictValidation } from './plugins/validation.js';
import { fromFastifyError, installErrorHandler, sendApiError } from './plugins/error-handler.js';
import { ApiError, type Config } from '@opencar/core';
import { notFound } from './plugins/not-found.js';
import { health } from './plugins/health.js';
import { metrics } from './plugins/metrics.js';
import { closeConnectionsWhenDraining } from './plugins/drain.js';
import { errorDocs } from './plugins/error-docs.js';
import { oemPublicKeys } from './plugins/oem-keys.js';
import { langOf, webPlugin } from '@opencar/web';
import { openApiRoutes, registerOpenApi, vehicleApi } from '@opencar/api';
import { simulatorApi } from '@opencar/connectors';
import { AccountsRepo, AppCredentialsRepo } from '@opencar/storage';
import { oauthPlugin } from '@opencar/oauth';
import { usageRoutes } from '@opencar/metering';
import { webhookRoutes } from '@opencar/webhooks';
import { adminPlugin } from './admin/index.js';

/**
 * Node's own limits for the HTTP server. It checks them every `connectionsCheckingInterval`
 * (30 s by default, which would let a slow client hold a socket for that long past its limit).
 */
function serverTimeouts(t: Config['timeouts']) {
  return {
    headersTimeout: t.headersMs, requestTimeout: t.requestMs, keepAliveTimeout: t.keepAliveMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersMs / 4))),
  };
}

/** Builds the one Fastify app that serves /oauth, /v2.0, /v3, management, dashboard and docs. */
export async function buildApp(platform: Platform): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    loggerInstance: platform.log,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    return503OnClosing: true,
    // Errors Fastify raises before routing (e.g. a malformed URL) get the v2 body and a request id too.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.header('sc-request-id', req.id);
      return sendApiError(reply, req, fromFastifyError(error) ?? new ApiError('VALIDATION', { cause: error }), config.publicUrl);
    },
    forceCloseConnections: 'idle',
    // req.ip (what the credential throttles count per) follows X-Forwarded-For only from these proxies.
    ...(config.trustProxy.length ? { trustProxy: [...config.trustProxy] } : {}),
    // Slow clients: headers and the whole request must arrive in time, idle keep-alives end.
    requestTimeout: config.timeouts.requestMs,
    keepAliveTimeout: config.timeouts.keepAliveMs,
    http: serverTimeouts(config.timeouts),
    ...(config.tls ? { https: { ...serverTimeouts(config.timeouts), cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile), minVersion: 'TLSv1.2' as const } } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  // Root-level hooks and handlers: installed directly (not registered) so they reach every route.
  requestId(app);
  securityHeaders(app, config);
  jsonBody(app);
  strictValidation(app);
  await app.register(formbody);
  installErrorHandler(app, config.publicUrl);
  notFound(app);
  const logRequests = platform.log.isLevelEnabled('info');
  app.addHook('onResponse', (req, reply, done) => {
    // The route pattern, never the raw URL: query strings carry link tokens, OAuth state and VINs.
    if (logRequests) {
      req.log.info({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    }
    done();
  });
  metrics(app);
  closeConnectionsWhenDraining(app);
  await app.register(health(platform.storage));
  await app.register(errorDocs(config.publicUrl, langOf));
  // Feature plugins, one line each, in this order: OpenAPI (must precede routes), Connect/OAuth,
  // vehicle API, simulator control, webhooks management, dashboard and owner portal.
  const accounts = new AccountsRepo(platform.storage.db);
  await registerOpenApi(app, { publicUrl: config.publicUrl });
  await app.register(openApiRoutes, { languageOf: langOf });
  await app.register(oemPublicKeys(platform.tesla));
  await app.register(oauthPlugin(platform));
  await app.register(vehicleApi({ ...platform, accounts: accounts, appCredentials: new AppCredentialsRepo(platform.storage.db) }));
  await app.register(simulatorApi({ simulator: platform.simulator, accounts: accounts, throttle: platform.throttle, vehicleIdsOfApp: (appId) => platform.grants.appVehicleIds(appId) }));
  await app.register(webhookRoutes({ accounts: accounts, throttle: platform.throttle, webhooks: platform.webhooks }));
  await app.register(usageRoutes({ accounts: accounts, throttle: platform.throttle, usage: platform.usage }));
  await app.register(webPlugin(platform));
  await app.register(adminPlugin(platform));

  return app;
}
