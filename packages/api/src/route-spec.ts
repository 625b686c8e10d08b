import type { AccessContext } from '@opencar/oauth';
import type { Capability, Ctx, Reading, UnitSystem, VehicleConnector } from '@opencar/connectors';
import type { RequestClass } from '@opencar/metering';
import type { ApiDeps } from './deps.js';
import type { UnitFields } from './http/units.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a vehicle route handler receives once the pipeline has admitted the call. */
export interface VehicleCall {
  deps: ApiDeps;
  access: AccessContext;
  vehicleId: string;
  connector: VehicleConnector;
  ctx: Ctx;
  unitSystem: UnitSystem;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
}

/** A handler's answer: the METRIC body plus the freshness of the data it came from. */
export interface Outcome {
  body: unknown;
  /** Reading the body came from: drives sc-data-age / sc-fetched-at. */
  freshness?: Pick<Reading<unknown>, 'capturedAt' | 'retrievedAt'>;
  woke?: boolean;
  /** Unit map for this particular answer (brand endpoints vary per path). */
  units?: UnitFields;
}

/**
 * One row of the declarative route table. The shared pipeline runs, in order: bearer token →
 * token verification → vehicle in the token's grant → permission → capability → body validation →
 * metering admission → `handle` → unit conversion → exact body keys (response schema).
 */
export interface VehicleRoute {
  /** Stable name, e.g. `odometer`; also the batch/SDK function name where one exists. */
  name: string;
  method: HttpMethod;
  /** Path after `/v2.0/vehicles/:id`, e.g. `/odometer`; `''` for the vehicle itself. */
  path: string;
  /** Permission the token needs; null = any valid token for the vehicle. */
  permission: string | null;
  /** Capability the vehicle must declare (COMPATIBILITY:VEHICLE_NOT_CAPABLE otherwise). */
  capability?: Capability;
  /** Connector method the platform needs (COMPATIBILITY:SMARTCAR_NOT_CAPABLE when the backend lacks it). */
  connectorMethod?: keyof VehicleConnector;
  /** Also accepts the application management token as the bearer token (disconnect). */
  managementToken?: boolean;
  /** Whether a successful call is billed (one unit); false = free endpoint. */
  billable: boolean;
  requestClass: RequestClass;
  /** Fields converted under `sc-unit-system: imperial`. */
  units?: UnitFields;
  summary: string;
  description?: string;
  schema: { body?: object; querystring?: object; response: object };
  /**
   * Checks of the input its schema cannot express; throws 400 VALIDATION. Runs after the schema
   * and before the capability check, so a bad value is 400 whatever the vehicle.
   */
  validate?(call: Pick<VehicleCall, 'body' | 'query'>): void;
  handle(call: VehicleCall): Promise<Outcome>;
}

/** Builds a read route: one connector reading → body, with its freshness. */
export function fromReading<T>(reading: Reading<T>): Outcome {
  return { body: reading.value, freshness: reading, woke: reading.woke };
}

/** The action response of every successful command (wire-contract §5.3). */
export const ACTION_OK = { status: 'success', message: 'Successfully sent request to vehicle' } as const;
