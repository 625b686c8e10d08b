import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';

/** Tag order of the reference: the vehicle API first, then the platform's own surfaces. */
export const API_TAGS = [
  { name: 'Vehicles', description: 'Vehicle API v2.0: one interface over every brand (Smartcar v2.0 wire-compatible).' },
  { name: 'Brand-specific', description: 'Endpoints that exist only for some makes (`/vehicles/{id}/{make}/…`).' },
  { name: 'User', description: 'The owner behind an access token and their vehicles.' },
  { name: 'Signals (v3)', description: 'Vehicles API v3: vehicle and signal resources in JSON:API shape; the whole signal catalogue, each signal with its own status.' },
  { name: 'Connections (v3)', description: 'Vehicles API v3: the application\'s connections and users (application token).' },
  { name: 'Commands (v3)', description: 'Vehicles API v3: one path per command, JSON:API bodies, the 202 contract for slow commands.' },
  { name: 'Charge schedules (v3)', description: 'Vehicles API v3: charge schedules the platform runs for every EV, with their execution records.' },
  { name: 'Webhooks', description: 'Per-vehicle webhook subscriptions.' },
  { name: 'Compatibility', description: 'Which vehicles and endpoints are supported (client credentials).' },
  { name: 'Compatibility (v3)', description: 'Compatibility API v3: the public list of compatible vehicles with the signals and commands each supports, and (an opencar extension) the same for one VIN. No credentials; cacheable.' },
  { name: 'Management', description: 'Connections of an application (application management token).' },
  { name: 'Management (v3)', description: 'Management API v3 with the application token: the application, its webhooks (integrations) and their vehicle subscriptions; creating and changing webhooks is an opencar extension.' },
  { name: 'Connect', description: 'Connect: the URLs an application sends a vehicle owner to, to link vehicles or report a battery capacity. The pages behind them are not part of the API.' },
  { name: 'OAuth', description: 'OAuth 2.0 token endpoints: authorization codes and refresh tokens (v2.0), client credentials (API v3 application tokens).' },
  { name: 'Usage', description: 'Request ledger and usage of an application.' },
  { name: 'Simulator', description: 'Control of simulated vehicles.' },
  { name: 'Connectors', description: 'What real OEM clouds fetch from the platform (e.g. the Tesla command key).' },
];

/**
 * The HTML pages of the developer dashboard, the owner portal and the Connect flow: people use them in a
 * browser, applications never call them, so they stay out of the document. The Connect entry points an
 * application links to (`/oauth/authorize`, `/oauth/reauthenticate`, `/battery-capacity`) are not under these.
 */
export const PAGE_ROUTE = /^\/(dashboard|account|connect)(\/|$)/;

/** A page route left out of the document: method and path as Fastify declares them (`/dashboard/apps/:appId`). */
export interface PageRoute { method: string; url: string; query: string[]; bodyKeys: string[] }

const pageRouteLists = new WeakMap<FastifyInstance, PageRoute[]>();

/** The page routes registered on `app` (kept out of `/openapi.json`), for tests that walk every route. */
export const pageRoutes = (app: FastifyInstance): readonly PageRoute[] => pageRouteLists.get(app) ?? [];

export interface OpenApiOptions {
  publicUrl: string;
  version?: string;
}

/**
 * Registers the OpenAPI 3.1 generator on the ROOT instance. It must run before any route is
 * added: the generator collects routes through an onRoute hook, so routes added earlier are missed.
 * Routes appear in the document through their `schema` (tags, summary, params, body, responses);
 * `schema.hide` or `config.internal` keeps a route out.
 */
export async function registerOpenApi(app: FastifyInstance, opts: OpenApiOptions): Promise<void> {
  const pages: PageRoute[] = [];
  pageRouteLists.set(app, pages);
  app.addHook('onRoute', (route) => {
    if (!PAGE_ROUTE.test(route.url) || (route.schema as { hide?: boolean } | undefined)?.hide) return;
    const keys = (schema: unknown) => Object.keys((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
    for (const method of ([] as string[]).concat(route.method)) {
      if (method === 'HEAD') continue;
      pages.push({ method, url: route.url, query: keys(route.schema?.querystring), bodyKeys: keys(route.schema?.body) });
    }
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'opencar API',
        version: opts.version ?? '2.0',
        description: 'Self-hosted connected-car API, wire-compatible with Smartcar API v2.0. Errors are described at /docs/errors. '
          + 'Request headers of the vehicle endpoints: `sc-unit-system: metric|imperial`; `sc-allow-wake: true|false`, whether a read may '
          + 'wake a sleeping vehicle (default: it may, within the vehicle\'s daily wake budget; `false` answers from the last known state '
          + '— with its older `sc-data-age` — or `VEHICLE_STATE:ASLEEP`).',
      },
      servers: [{ url: opts.publicUrl }],
      tags: API_TAGS,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API v2.0 and v3 vehicle endpoints: the access token of a connected owner from POST /oauth/token. '
            + 'API v3 application endpoints (connections, users): the application token from POST /oauth2/token.' },
          basicClient: { type: 'http', scheme: 'basic', description: 'The application\'s client id as user name and client secret as password.' },
          basicManagement: { type: 'http', scheme: 'basic', description: 'User name default, password the application management token.' },
        },
      },
    },
    hideUntagged: false,
    transform: ({ schema, url, route }) => {
      const internal = (route.config as { internal?: boolean } | undefined)?.internal === true;
      if (internal || PAGE_ROUTE.test(url)) return { schema: { ...(schema ?? {}), hide: true } as typeof schema, url };
      if (!url.endsWith('/*')) return { schema, url };
      // A trailing wildcard becomes a documented `{path}` parameter (OpenAPI has no wildcards).
      const params = (schema?.params ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown>; required?: string[] };
      const withPath = { ...params, properties: { ...params.properties, path: { type: 'string', description: 'Rest of the path, may contain slashes' } }, required: [...(params.required ?? []), 'path'] };
      return { schema: { ...(schema ?? {}), params: withPath } as typeof schema, url: `${url.slice(0, -1)}:path` };
    },
  });
}
