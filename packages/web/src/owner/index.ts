import type { FastifyInstance } from 'fastify';
import { WebRepo } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { formOf, redirect, str, WebError } from '../http/context.js';
import { owner, requireOwner } from './guard.js';
import { ownerSignInRoutes } from './signin.js';
import { ownerOverview } from './overview.js';
import { exportJson, loadOwnerData } from './data.js';

const tags = ['Owner portal'];

/** Every page of the owner portal under /account. */
export function ownerRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    await app.register(ownerSignInRoutes(s, ownerOverview(s)));

    app.post('/account/revoke', { schema: { tags, summary: 'Revoke an app\'s access to one of the owner\'s vehicles' }, preHandler: requireOwner }, async (req, reply) => {
      const o = owner(req)!;
      const f = formOf(req);
      const appId = str(f, 'app_id', 200);
      const vehicleId = str(f, 'vehicle_id', 200);
      const grants = s.deps.grants;
      const mine = grants && (await grants.ownerConnections(o.userId)).some((c) => c.appId === appId && c.vehicleId === vehicleId);
      if (!grants || !mine) throw new WebError(404, 'error.vehicleNotFound');
      await grants.deleteConnections(appId, { userId: o.userId, vehicleId });
      return redirect(reply, '/account?revoked=1');
    });

    app.get('/account/export', { schema: { tags, summary: 'Export the owner\'s data as JSON' }, preHandler: requireOwner }, async (req, reply) => {
      const o = owner(req)!;
      await s.deps.metering?.flush();
      const body = exportJson(o, await loadOwnerData(s, o), s.deps.clock.now());
      return reply.type('application/json; charset=utf-8').header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="opencar-account-export.json"').send(body);
    });

    app.post('/account/delete', { schema: { tags, summary: 'Delete the owner account: revoke every app and sign out everywhere' }, preHandler: requireOwner }, async (req, reply) => {
      const o = owner(req)!;
      if (s.deps.grants) {
        // One removal per app covers every vehicle of the owner in it.
        const appIds = new Set((await s.deps.grants.ownerConnections(o.userId)).map((c) => c.appId));
        for (const appId of appIds) await s.deps.grants.deleteConnections(appId, { userId: o.userId });
      }
      await new WebRepo(s.deps.storage.db).recordOwnerDeletion(o.userId, s.deps.clock.now());
      await s.sessions.endAllOf('owner', o.userId);
      await s.sessions.end(req, reply, 'owner');
      return redirect(reply, '/account?deleted=1');
    });
  };
}
