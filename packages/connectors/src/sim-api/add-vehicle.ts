import type { FastifyInstance } from 'fastify';
import { POWERTRAINS, REGIONS, type AddVehicle } from '../sim/add-vehicle.js';
import { appFromBasic } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS } from './schemas.js';
import { createVehicle } from './service.js';

const BODY = {
  type: 'object', required: ['make'], additionalProperties: false,
  properties: {
    make: { type: 'string', minLength: 1, maxLength: 40, description: 'Brand as in the catalogue (`KIA`, `TESLA` …).' },
    model: { type: 'string', maxLength: 80, description: 'Model name of the brand (`EV6`); absent: the first model matching the other choices.' },
    year: { type: 'integer', minimum: 2015, maximum: 2026 },
    powertrain: { type: 'string', enum: [...POWERTRAINS] },
    region: { type: 'string', enum: [...REGIONS], default: 'US' },
  },
} as const;

/** `POST /simulator/vehicles`: a vehicle made to order (make, model, year, powertrain, region), ready to connect. */
export function addVehicleRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/vehicles', {
    schema: {
      tags: TAGS, security: SECURITY, body: BODY,
      summary: 'Add a simulated vehicle of a chosen make, model, year, powertrain and region',
      description: 'Creates the vehicle in a simulated account of its own and answers how to connect it: in Connect (the given mode), '
        + 'in simulated mode, choose the brand and a country of the region and sign in with `email` and any password. Once connected, the app controls it with the other simulator routes.',
      response: {
        201: {
          type: 'object', additionalProperties: false,
          required: ['vehicleId', 'vin', 'make', 'brandName', 'model', 'year', 'powertrain', 'region', 'mode', 'email', 'country'],
          properties: {
            vehicleId: { type: 'string' }, vin: { type: 'string' }, make: { type: 'string' }, brandName: { type: 'string' }, model: { type: 'string' },
            year: { type: 'integer' }, powertrain: { type: 'string' }, region: { type: 'string' }, mode: { type: 'string' }, email: { type: 'string' }, country: { type: 'string' },
          },
        },
      },
    },
  }, async (req, reply) => {
    const appId = await appFromBasic(deps, req);
    return reply.code(201).send(await createVehicle(deps.simulator, appId, req.body as AddVehicle));
  });
}
