import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { v3ErrorHandler } from '../v3/v3-error.js';
import { pageDocument, readPage } from '../v3/paging.js';
import { sendCacheable } from './cacheable.js';
import { checkParameters, readFilters } from './query.js';
import { catalogueMakes, compatibleVehicles } from './rows.js';

const FILTERS = ['filter[region]', 'filter[make]', 'filter[powertrainType]'] as const;
const PAGING = ['page[number]', 'page[size]', 'page', 'pageSize'];

/**
 * Compatibility v3 `GET /v3/compatible-vehicles`: public (no credentials), generated from the
 * catalogue, one resource per model, region and year range with the signals and commands it
 * supports. Cacheable: strong ETag over the body, 304 on If-None-Match, a day's Cache-Control.
 */
export function compatibleVehiclesRoute(app: FastifyInstance, deps: ApiDeps): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const base = `${deps.config.publicUrl}/v3/compatible-vehicles`;
  app.get('/v3/compatible-vehicles', {
    errorHandler,
    schema: {
      tags: ['Compatibility (v3)'], summary: 'Compatible vehicles', security: [],
      description: 'Public: no credentials. `filter[region]` (`US`, `CA`, `EUROPE`), `filter[make]` (a make, upper case), `filter[powertrainType]` (`ICE`, `BEV`, `PHEV`, '
        + 'or `EV` for BEV and PHEV); filters combine, an unknown filter or value is `400 VALIDATION INVALID_INPUT_FORMAT` naming the allowed values. '
        + 'Each `compatible-vehicle` has `make`, `model`, `region`, `powertrainType`, `years{start, end}` and `capabilities[{type: signal|command, code, permission, path}]`, '
        + 'the v3 signals and commands that model supports. `page[number]`/`page[size]` (1, 100, max 100) or `page`/`pageSize`. '
        + 'Strong `ETag`, `304` on `If-None-Match`, `Cache-Control: public, max-age=86400`.',
    },
  }, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    checkParameters(q, [...FILTERS, ...PAGING]);
    const models = deps.backend.models();
    const filters = readFilters(q, catalogueMakes(models));
    const page = readPage(q, { size: 100, max: 100, spelling: 'bracket' });
    const rows = compatibleVehicles(models, filters);
    const echo: Record<string, string> = {};
    if (filters.region) echo['filter[region]'] = filters.region;
    if (filters.make) echo['filter[make]'] = filters.make;
    if (filters.powertrainType) echo['filter[powertrainType]'] = filters.powertrainType;
    const data = rows.slice((page.number - 1) * page.size, page.number * page.size);
    return sendCacheable(req, reply, { data, ...pageDocument(base, echo, page, rows.length) });
  });
}
