import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { ApiDeps } from '../../deps.js';
import { v3ErrorHandler } from '../v3/v3-error.js';
import { sendCacheable } from './cacheable.js';
import { checkParameters, oneOf, REGIONS } from './query.js';
import { vinReport } from './vin-report.js';

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/i;

/**
 * opencar extension `GET /v3/compatible-vehicles/{vin}`: which v3 signals and commands the vehicle
 * behind a VIN can answer in a region (`filter[region]`, default US), and why not. Public and
 * cacheable like the list.
 */
export function compatibleVehicleByVinRoute(app: FastifyInstance, deps: ApiDeps): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  app.get('/v3/compatible-vehicles/:vin', {
    errorHandler,
    schema: {
      tags: ['Compatibility (v3)'], summary: 'Compatibility of a VIN — opencar extension', security: [],
      description: 'Public: no credentials. Decodes the VIN (make from the manufacturer code, model year, model) and lists every v3 signal and command with `capable` and, '
        + 'when false, `reason`: `MAKE_NOT_SUPPORTED`, `REGION_NOT_SUPPORTED`, `MODEL_YEAR_NOT_SUPPORTED`, `PLATFORM_NOT_CAPABLE`, `POWERTRAIN_NOT_CAPABLE`, '
        + '`MAKE_NOT_CAPABLE` or `MODEL_NOT_CAPABLE`. `filter[region]` (`US` by default, `CA`, `EUROPE`). A malformed VIN is `400 VALIDATION INVALID_INPUT_FORMAT`. '
        + 'Strong `ETag`, `304` on `If-None-Match`, `Cache-Control: public, max-age=86400`.',
      params: { type: 'object', properties: { vin: { type: 'string' } }, required: ['vin'] },
    },
  }, async (req, reply) => {
    const raw = (req.params as { vin: string }).vin;
    if (!VIN.test(raw)) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'The VIN must be 17 characters of A–Z (without I, O, Q) and 0–9.' });
    const q = req.query as Record<string, unknown>;
    checkParameters(q, ['filter[region]']);
    const region = oneOf(q, 'filter[region]', REGIONS) ?? 'US';
    const vin = raw.toUpperCase();
    const self = `${deps.config.publicUrl}/v3/compatible-vehicles/${vin}${q['filter[region]'] === undefined ? '' : `?filter%5Bregion%5D=${region}`}`;
    return sendCacheable(req, reply, { data: { id: vin, type: 'vehicle-compatibility', attributes: vinReport(deps.backend, vin, region) }, links: { self } });
  });
}
