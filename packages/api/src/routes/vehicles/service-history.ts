import { ApiError } from '@opencar/core';
import { arr, nullable, num, obj, ok, str } from '../../http/schema.js';
import { fromReading, type VehicleRoute } from '../../route-spec.js';

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The Node SDK sends the literal `undefined` for an omitted date (wire-contract §16.5). */
function dateParam(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '' || raw === 'undefined') return undefined;
  if (!DATE.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new ApiError('VALIDATION', { description: `${name} must be a date (YYYY-MM-DD or ISO 8601).`, detail: [{ field: name, message: 'must be a date' }] });
  }
  return raw;
}

/**
 * A date given as `start_date` (Node, Java, Ruby SDKs) or `startDate` (Python SDK): the same
 * meaning; two different values are a conflict.
 */
function eitherDate(query: Record<string, string | undefined>, snake: string, camel: string): string | undefined {
  const a = dateParam(snake, query[snake]);
  const b = dateParam(camel, query[camel]);
  if (a !== undefined && b !== undefined && Date.parse(a) !== Date.parse(b)) {
    throw new ApiError('VALIDATION', { description: `${snake} and ${camel} name the same date; give one, or the same value in both.`, detail: [{ field: camel, message: `conflicts with ${snake}` }] });
  }
  return a ?? b;
}

const range = (query: Record<string, string | undefined>) => ({ start: eitherDate(query, 'start_date', 'startDate'), end: eitherDate(query, 'end_date', 'endDate') });

const record = obj({
  serviceId: { type: ['string', 'number', 'null'] }, serviceDate: str, odometerDistance: num,
  serviceTasks: arr(obj({ taskId: nullable(str), taskDescription: nullable(str) })),
  serviceDetails: arr(obj({ type: str, value: nullable(str) })),
  serviceCost: obj({ totalCost: nullable(num), currency: nullable(str) }),
});

/** #20 `GET /vehicles/{id}/service/history?start_date&end_date` (or `startDate&endDate`): a top-level JSON array. */
export const serviceHistory: VehicleRoute = {
  name: 'serviceHistory', method: 'GET', path: '/service/history', permission: 'read_service_history',
  capability: 'service_history', connectorMethod: 'serviceHistory', billable: true, requestClass: 'data',
  units: { '*.odometerDistance': 'distance' }, summary: 'Service records',
  description: 'Defaults to the last 12 months. `startDate`/`endDate` (Python SDK) mean the same as `start_date`/`end_date`; two different values for one date are 400 VALIDATION. `start_date=undefined` is treated as absent.',
  schema: {
    querystring: { type: 'object', properties: { start_date: str, end_date: str, startDate: str, endDate: str } },
    response: ok(arr(record)),
  },
  validate({ query }) { range(query); },
  async handle({ connector, ctx, query }) {
    return fromReading(await connector.serviceHistory!(ctx, range(query)));
  },
};
