import type { Capability, Ctx, Reading, VehicleConnector } from '@opencar/connectors';
import { ok } from '../../http/schema.js';
import type { UnitFields } from '../../http/units.js';
import { fromReading, type VehicleRoute } from '../../route-spec.js';

type ReadMethod = {
  [K in keyof VehicleConnector]-?: NonNullable<VehicleConnector[K]> extends (ctx: Ctx) => Promise<Reading<unknown>> ? K : never
}[keyof VehicleConnector];

interface ReadSpec {
  name: string;
  path: string;
  permission: string;
  capability: Capability;
  method: ReadMethod;
  response: Record<string, unknown>;
  units?: UnitFields;
  summary: string;
  description?: string;
}

/** A GET route that answers with one connector reading, as is. */
export function readRoute(spec: ReadSpec): VehicleRoute {
  return {
    name: spec.name, method: 'GET', path: spec.path, permission: spec.permission, capability: spec.capability,
    connectorMethod: spec.method, billable: true, requestClass: 'data', units: spec.units,
    summary: spec.summary, description: spec.description,
    schema: { response: ok(spec.response) },
    async handle({ connector, ctx }) {
      const read = connector[spec.method] as (ctx: Ctx) => Promise<Reading<unknown>>;
      return fromReading(await read.call(connector, ctx));
    },
  };
}
