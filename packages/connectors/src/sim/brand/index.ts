import type { BrandRequest, Ctx, Powertrain, Reading } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import type { Meta, Simulator } from '../simulator.js';
import { audi } from './audi.js';
import { bmw } from './bmw.js';
import type { HandlerTable } from './call.js';
import { ford } from './ford.js';
import { gm } from './gm.js';
import { nissan } from './nissan.js';
import { tesla } from './tesla.js';

/**
 * Brand-specific endpoints of the simulator (wire-contract §5.8): make → `METHOD path` → handler.
 * Bodies are metric; the API layer converts units and projects the documented key sets.
 */
const TABLES: Readonly<Record<string, HandlerTable>> = {
  TESLA: tesla, CADILLAC: gm, CHEVROLET: gm, FORD: ford, LINCOLN: ford, NISSAN: nissan, AUDI: audi, BMW: bmw, MINI: bmw,
};

const hasBattery = (p: Powertrain) => p === 'BEV' || p === 'PHEV';

/** True when at least one brand endpoint of the make works for the powertrain (decides `brand:<make>`). */
export function hasBrandEndpoints(make: string, powertrain: Powertrain): boolean {
  const table = TABLES[make];
  return !!table && Object.values(table).some((h) => !h.ev || hasBattery(powertrain));
}

export async function brandRequest(sim: Simulator, ctx: Ctx, meta: Meta, make: string, req: BrandRequest): Promise<Reading<unknown>> {
  if (make !== meta.brand.make.toLowerCase() || !meta.caps.has(`brand:${make}`)) {
    throw new VehicleError({ kind: 'not_capable' }, `${make} endpoints do not apply to this vehicle`);
  }
  const path = req.path.replace(/^\/+|\/+$/g, '');
  const handler = TABLES[meta.brand.make]?.[`${req.method.toUpperCase()} ${path}`];
  if (!handler) throw new VehicleError({ kind: 'not_capable', platform: true }, `${req.method} ${make}/${path} is not simulated`);
  if (handler.ev && !hasBattery(meta.md.powertrain)) throw new VehicleError({ kind: 'not_capable' }, `${make}/${path} needs a traction battery`);
  return handler.run({ sim, ctx, meta, make, req: { ...req, path, query: req.query ?? {} } });
}
