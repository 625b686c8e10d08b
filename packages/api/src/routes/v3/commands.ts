import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, uuid } from '@opencar/core';
import type { CommandResult } from '@opencar/connectors';
import type { ApiDeps } from '../../deps.js';
import { requireCapability, requirePermission } from '../../pipeline/vehicle-access.js';
import { asApiError } from '../../pipeline/run-route.js';
import { handOverDetail } from '../../pipeline/call-state.js';
import { openV3Vehicle } from './v3-access.js';
import { v3ErrorBody, v3ErrorHandler } from './v3-error.js';
import { attributesOf, COMMANDS, type CommandDef } from './command-table.js';

type Attrs = Record<string, unknown>;
type Settled = { ok: true; result: CommandResult } | { ok: false; error: unknown };

/**
 * The command-execution resource, in the shape Smartcar's vehicle.yml gives its execution
 * resources (`data` with attributes, and `meta` times as ISO-8601 strings, as vehicle.yml shows them).
 */
function execution(def: CommandDef, params: Attrs, mode: 'sync' | 'async', startedAt: number, completedAt: number) {
  return {
    data: {
      id: `exec_${uuid().replace(/-/g, '')}`, type: 'command-execution',
      attributes: { command: def.path, status: { value: 'SUCCESS' }, executionMode: mode, parameters: params },
      meta: { executedAt: new Date(startedAt).toISOString(), completedAt: new Date(completedAt).toISOString(), durationInSeconds: Math.max(0, Math.round((completedAt - startedAt) / 10) / 100) },
    },
  };
}

/**
 * The 202 contract (wire-contract-v3 §2): the command outlived the threshold, so the status line
 * goes out now (202, no Content-Length) and the real outcome follows on the same connection once
 * the vehicle answers: the execution resource, or the v3 error object whose `status` is the
 * outcome's. The ledger records the outcome (billed only when the command succeeded).
 */
async function streamOutcome(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply, running: Promise<Settled>, body: (s: Settled) => { status: number; json: unknown }): Promise<void> {
  reply.hijack();
  const headers = { ...reply.getHeaders(), 'sc-request-id': req.id, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as Record<string, string>;
  delete headers['content-length'];
  reply.raw.writeHead(202, headers);
  reply.raw.flushHeaders();
  const settled = await running;
  const out = body(settled);
  const call = req.apiCall!;
  const at = deps.clock.now();
  await deps.metering.record({
    requestId: req.id, at, appId: call.appId, vehicleId: call.vehicleId, userId: call.userId, endpoint: call.endpoint, method: req.method,
    status: out.status, latencyMs: Math.round(reply.elapsedTime * 100) / 100, units: out.status < 300 ? call.units : 0, woke: call.woke, requestClass: call.requestClass,
  });
  const text = JSON.stringify(out.json);
  handOverDetail(deps, req, call.appId, out.status, headers, text, at);
  reply.raw.end(text);
}

/** API v3 commands: one path each, JSON:API bodies, one answer when fast and the 202 stream when slow. */
export function v3CommandRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const publicUrl = deps.config.publicUrl;
  const errorHandler = v3ErrorHandler(publicUrl, deps.secretKey);
  const thresholdMs = deps.config.v3CommandSyncMs ?? 175_000;
  for (const def of COMMANDS) {
    const url = `/v3/vehicles/:id/commands/${def.path}`;
    const endpoint = `POST ${url}`;
    app.post(url, {
      errorHandler,
      schema: {
        tags: ['Commands (v3)'], security: [{ bearerAuth: [] }], summary: def.summary,
        description: `Permission: \`${def.permission}\`; \`sc-user-id\` with an application token. Body \`{"data":{"attributes":{…}}}\`. `
          + `Answers the command-execution resource when the vehicle confirms within the threshold (${Math.round(thresholdMs / 1000)} s here, OPENCAR_V3_COMMAND_SYNC_MS); `
          + 'otherwise 202 at once and the outcome on the same connection. One billable request.',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
    }, async (req, reply) => {
      const { access, vehicleId, connector, ctx } = await openV3Vehicle(deps, req, endpoint, true);
      req.apiCall!.requestClass = 'command';
      requirePermission(def, access);
      // Like v2.0: a bad body is 400 whatever the vehicle can do.
      const params = def.parameters(attributesOf(req.body));
      await requireCapability({ capability: def.capability, connectorMethod: def.method }, connector, ctx);
      reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id }));
      const startedAt = deps.clock.now();
      const running: Promise<Settled> = def.run(connector, ctx, params).then((result) => ({ ok: true as const, result }), (error: unknown) => ({ ok: false as const, error }));
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<'slow'>((resolve) => { timer = setTimeout(() => resolve('slow'), thresholdMs); });
      const first = await Promise.race([running, slow]);
      clearTimeout(timer);
      if (first !== 'slow') {
        if (!first.ok) throw first.error;
        if (first.result.woke) req.apiCall!.woke = true;
        return execution(def, params, 'sync', startedAt, first.result.completedAt);
      }
      return streamOutcome(deps, req, reply, running, (s) => {
        if (s.ok) {
          if (s.result.woke) req.apiCall!.woke = true;
          return { status: 200, json: execution(def, params, 'async', startedAt, s.result.completedAt) };
        }
        const known = asApiError(s.error, { publicUrl, secretKey: deps.secretKey }, access.appId, vehicleId);
        const api = known instanceof ApiError ? known : new ApiError('SERVER:INTERNAL');
        if (!(known instanceof ApiError)) req.log.error({ err: s.error }, 'command failed');
        return { status: api.statusCode, json: v3ErrorBody(api, publicUrl) };
      });
    });
  }
}
