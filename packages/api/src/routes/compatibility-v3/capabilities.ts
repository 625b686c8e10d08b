import type { Capability, CatalogueModel } from '@opencar/connectors';
import { SIGNALS, type SignalDef } from '../v3/signal-map.js';
import { COMMANDS } from '../v3/command-table.js';
import { SCHEDULE_TYPES } from '../../charge-schedules/schedule-spec.js';
import { powertrainOf } from '../v3/connection-resource.js';

/**
 * One signal or command of API v3 as the compatibility API lists it: its code (a signal code, or a
 * command path with `-` for `/`), the permission it needs and whether a set of capabilities answers it.
 */
export interface V3Capability {
  type: 'signal' | 'command';
  code: string;
  permission: string;
  /** Path under `/v3/vehicles/{id}/` (commands only). */
  path?: string;
  /** The capability the vehicle needs; `requires` adds what the answer's body needs beyond it. */
  capability: Capability;
  requires(caps: ReadonlySet<Capability>): boolean;
}

/**
 * Signals whose body needs more than their capability (signal-map bodies): an engine cover only with
 * an engine, a front trunk only without one, and no body of the catalogue reports a tailgate.
 */
const BODY_NEEDS: Readonly<Record<string, (caps: ReadonlySet<Capability>) => boolean>> = {
  'closure-enginecover': (caps) => caps.has('fuel'),
  'closure-fronttrunk': (caps) => !caps.has('fuel'),
  'closure-tailgate': () => false,
};

const signal = (d: SignalDef): V3Capability => ({
  type: 'signal', code: d.code, permission: d.permission, capability: d.capability, requires: BODY_NEEDS[d.code] ?? (() => true),
});

/** Every v3 signal (93) and command (8 command paths and 3 charge-schedule paths), in catalogue order. */
export const V3_CAPABILITIES: readonly V3Capability[] = [
  ...SIGNALS.map(signal),
  ...COMMANDS.map((c): V3Capability => ({
    type: 'command', code: c.path.replace(/\//g, '-'), path: `commands/${c.path}`, permission: c.permission, capability: c.capability, requires: () => true,
  })),
  ...SCHEDULE_TYPES.map((t): V3Capability => ({
    type: 'command', code: `charge-schedules-${t}`, path: `charge-schedules/${t}`, permission: 'control_charge', capability: 'charge_control',
    requires: (caps) => caps.has('battery'),
  })),
];

/** Whether a vehicle with these capabilities answers this signal or command. */
export const answers = (c: V3Capability, caps: ReadonlySet<Capability>): boolean => caps.has(c.capability) && c.requires(caps);

/** The v3 powertrain of a catalogue model (as `GET /v3/vehicles/{id}` reports it): BEV, PHEV or ICE (hybrids without a plug are ICE). */
export const v3Powertrain = (m: Pick<CatalogueModel, 'capabilities'>): 'BEV' | 'PHEV' | 'ICE' => powertrainOf(new Set(m.capabilities));

/** The `capabilities` entries of what a model supports: `{type, code, permission[, path]}`. */
export function supported(caps: ReadonlySet<Capability>): Record<string, string>[] {
  return V3_CAPABILITIES.filter((c) => answers(c, caps)).map((c) => ({ type: c.type, code: c.code, permission: c.permission, ...(c.path ? { path: c.path } : {}) }));
}
