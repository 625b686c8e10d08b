import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError } from '@opencar/core';
import { appFromAmt, type AmtAuthDeps } from '../amt-auth.js';
import { isMonth } from '../month.js';
import type { UsageService } from '../usage.js';

export interface UsageRouteDeps extends AmtAuthDeps { usage: UsageService }

const MONTH = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'Billing month, YYYY-MM (UTC).' });
const security = [{ basicManagement: [] }];

/** Usage and statements for the calling application (management token). Not part of the Smartcar API. */
export function usageRoutes(deps: UsageRouteDeps) {
  return async function usagePlugin(app: FastifyInstance): Promise<void> {
    app.get('/v2.0/management/usage', {
      schema: { tags: ['Usage'], summary: 'Usage of the application in a billing month', security, querystring: Type.Object({ month: Type.Optional(MONTH) }) },
    }, async (req) => {
      const caller = await appFromAmt(deps, req);
      const month = (req.query as { month?: string }).month;
      if (month !== undefined && !isMonth(month)) throw new ApiError('VALIDATION:PARAMETER', { description: 'month must be YYYY-MM.' });
      return deps.usage.usage(caller.id, month);
    });

    app.get('/v2.0/management/statements', {
      schema: { tags: ['Usage'], summary: 'Monthly statements of the application, newest first', security },
    }, async (req) => {
      const caller = await appFromAmt(deps, req);
      return { statements: await deps.usage.statements(caller.id) };
    });

    app.get('/v2.0/management/statements/:month', {
      schema: { tags: ['Usage'], summary: 'The statement of one closed billing month', security, params: Type.Object({ month: MONTH }) },
    }, async (req) => {
      const caller = await appFromAmt(deps, req);
      const s = await deps.usage.statement(caller.id, (req.params as { month: string }).month);
      if (!s) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No statement for that month (months are closed after they end).' });
      return s;
    });
  };
}
