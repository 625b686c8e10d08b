import { ApiError } from '@opencar/core';
import type { Capability, CommandResult, Ctx, VehicleConnector } from '@opencar/connectors';

type Attrs = Record<string, unknown>;

/** One v3 command path: permission, capability, the connector call and the parameters it records. */
export interface CommandDef {
  /** Path under `/v3/vehicles/{id}/commands/`. */
  path: string;
  summary: string;
  permission: string;
  capability: Capability;
  method: keyof VehicleConnector;
  /** Checks `data.attributes` and returns the parameters to run with (VALIDATION:INVALID_INPUT_FORMAT otherwise). */
  parameters(attrs: Attrs): Attrs;
  run(connector: VehicleConnector, ctx: Ctx, p: Attrs): Promise<CommandResult>;
}

const invalid = (description: string) => new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description });
const none = (attrs: Attrs): Attrs => {
  const extra = Object.keys(attrs);
  if (extra.length) throw invalid(`This command takes no attributes (got ${extra.join(', ')}).`);
  return {};
};
function coordinate(attrs: Attrs, name: 'latitude' | 'longitude', limit: number): number {
  const v = attrs[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < -limit || v > limit) throw invalid(`data.attributes.${name} must be a number from -${limit} to ${limit}.`);
  return v;
}

/** The eight command paths of API v3 (wire-contract-v3 §2), one per command, over the connector's v2 commands. */
export const COMMANDS: readonly CommandDef[] = [
  { path: 'charge/start', summary: 'Start charging', permission: 'control_charge', capability: 'charge_control', method: 'chargeControl', parameters: none, run: (c, ctx) => c.chargeControl!(ctx, 'START') },
  { path: 'charge/stop', summary: 'Stop charging', permission: 'control_charge', capability: 'charge_control', method: 'chargeControl', parameters: none, run: (c, ctx) => c.chargeControl!(ctx, 'STOP') },
  {
    path: 'charge/set-limit', summary: 'Set the charge limit (integer percent 50–100)', permission: 'control_charge', capability: 'set_charge_limit', method: 'setChargeLimit',
    parameters: (a) => {
      const extra = Object.keys(a).filter((k) => k !== 'percent');
      if (extra.length) throw invalid(`Unknown attribute(s): ${extra.join(', ')}.`);
      if (!Number.isInteger(a.percent) || (a.percent as number) < 50 || (a.percent as number) > 100) throw invalid('data.attributes.percent must be an integer from 50 to 100.');
      return { percent: a.percent };
    },
    run: (c, ctx, p) => c.setChargeLimit!(ctx, (p.percent as number) / 100),
  },
  { path: 'charge-port/open', summary: 'Open the charge-port door', permission: 'control_charge', capability: 'charge_port_control', method: 'chargePortControl', parameters: none, run: (c, ctx) => c.chargePortControl!(ctx, 'OPEN') },
  { path: 'charge-port/close', summary: 'Close the charge-port door', permission: 'control_charge', capability: 'charge_port_control', method: 'chargePortControl', parameters: none, run: (c, ctx) => c.chargePortControl!(ctx, 'CLOSE') },
  { path: 'security/lock', summary: 'Lock the doors', permission: 'control_security', capability: 'lock_control', method: 'lockControl', parameters: none, run: (c, ctx) => c.lockControl!(ctx, 'LOCK') },
  { path: 'security/unlock', summary: 'Unlock the doors', permission: 'control_security', capability: 'lock_control', method: 'lockControl', parameters: none, run: (c, ctx) => c.lockControl!(ctx, 'UNLOCK') },
  {
    path: 'navigation/set-destination', summary: 'Send a destination to the navigation system', permission: 'control_navigation', capability: 'navigation', method: 'sendDestination',
    parameters: (a) => {
      const extra = Object.keys(a).filter((k) => k !== 'latitude' && k !== 'longitude');
      if (extra.length) throw invalid(`Unknown attribute(s): ${extra.join(', ')}.`);
      return { latitude: coordinate(a, 'latitude', 90), longitude: coordinate(a, 'longitude', 180) };
    },
    run: (c, ctx, p) => c.sendDestination!(ctx, p.latitude as number, p.longitude as number),
  },
];

/** `{data:{attributes:{…}}}` of a JSON:API command body; a bodyless command may send nothing or `{}`. */
export function attributesOf(body: unknown): Attrs {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('The body must be a JSON object {"data":{"attributes":{…}}}.');
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).filter((k) => k !== 'data');
  if (extra.length) throw invalid(`Unknown top-level member(s): ${extra.join(', ')}; send {"data":{"attributes":{…}}}.`);
  if (b.data === undefined) return {};
  if (typeof b.data !== 'object' || b.data === null || Array.isArray(b.data)) throw invalid('data must be an object.');
  const d = b.data as Record<string, unknown>;
  const extraData = Object.keys(d).filter((k) => k !== 'attributes' && k !== 'type');
  if (extraData.length) throw invalid(`Unknown member(s) of data: ${extraData.join(', ')}.`);
  if (d.attributes === undefined) return {};
  if (typeof d.attributes !== 'object' || d.attributes === null || Array.isArray(d.attributes)) throw invalid('data.attributes must be an object.');
  return d.attributes as Attrs;
}
