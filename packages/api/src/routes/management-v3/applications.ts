import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { App } from '@opencar/storage';
import type { ApiDeps } from '../../deps.js';
import { v3ErrorHandler } from '../v3/v3-error.js';
import { pageDocument, readPage } from '../v3/paging.js';
import { checkQuery, managementCaller } from './app-caller.js';

/** The app's machine credentials (client ids and when they were issued; secrets are kept only as hashes). */
export interface MachineCredentialList { machineCredentials(appId: string): Promise<{ client_id: string; created_at: number }[]> }

const PAGING = ['page[number]', 'page[size]', 'page', 'pageSize'];

function applicationResource(publicUrl: string, a: App) {
  return {
    id: a.id,
    type: 'application',
    attributes: { name: a.name, mode: a.mode === 'live' ? 'live' : 'simulated', redirectUris: a.redirectUris, defaultScope: a.defaultScope, createdAt: new Date(Number(a.createdAt)).toISOString() },
    links: { self: `${publicUrl}/v3/applications/${a.id}` },
  };
}

/**
 * Management v3 applications: an application token sees its own application (`GET
 * /v3/applications` lists exactly that one), and the ids of its machine credentials.
 */
export function managementApplicationRoutes(app: FastifyInstance, deps: ApiDeps, credentials: MachineCredentialList): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const common = { tags: ['Management (v3)'], security: [{ bearerAuth: [] }] };
  const base = `${deps.config.publicUrl}/v3/applications`;
  const idParam = { type: 'object', properties: { applicationId: { type: 'string' } }, required: ['applicationId'] };
  const own = async (appId: string, id: string): Promise<App> => {
    const a = id === appId ? await deps.accounts.getApp(appId) : undefined;
    if (!a) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No application with this id for this token.' });
    return a;
  };

  app.get('/v3/applications', {
    errorHandler, schema: { ...common, summary: 'List applications', description: 'Application token: the list holds the token\'s own application. `page[number]`/`page[size]` (1, 50, max 100). Free.' },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'GET /v3/applications');
    const q = req.query as Record<string, unknown>;
    checkQuery(q, PAGING);
    const page = readPage(q, { size: 50, max: 100, spelling: 'bracket' });
    const a = await own(appId, appId);
    return { data: page.number === 1 ? [applicationResource(deps.config.publicUrl, a)] : [], ...pageDocument(base, {}, page, 1) };
  });

  app.get('/v3/applications/:applicationId', {
    errorHandler, schema: { ...common, summary: 'One application', description: 'Application token; another application\'s id answers 404. Free.', params: idParam },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'GET /v3/applications/:applicationId');
    const a = await own(appId, (req.params as { applicationId: string }).applicationId);
    return { data: applicationResource(deps.config.publicUrl, a), links: { self: `${base}/${a.id}` } };
  });

  app.get('/v3/applications/:applicationId/secrets', {
    errorHandler,
    schema: {
      ...common, summary: 'The application\'s machine credentials',
      description: 'Application token. Lists the client ids of the unrevoked machine credentials (client credentials) and when they were issued, newest first; '
        + 'secrets are shown once when issued (dashboard) and never again. Free.',
      params: idParam,
    },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'GET /v3/applications/:applicationId/secrets');
    const a = await own(appId, (req.params as { applicationId: string }).applicationId);
    const rows = await credentials.machineCredentials(a.id);
    return {
      data: rows.map((r) => ({ id: r.client_id, type: 'secret', attributes: { clientId: r.client_id, createdAt: new Date(Number(r.created_at)).toISOString() } })),
      meta: { totalCount: rows.length },
      links: { self: `${base}/${a.id}/secrets` },
    };
  });
}
