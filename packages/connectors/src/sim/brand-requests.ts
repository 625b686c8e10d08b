import type { BrandRequest, Ctx, Reading } from '../connector.js';
import { VehicleError } from '../errors.js';
import type { Meta, Simulator } from './simulator.js';

/** Brand-specific endpoints (wire-contract §5.8), metric bodies. Unknown paths: not capable. */
export async function brandRequest(sim: Simulator, ctx: Ctx, meta: Meta, make: string, req: BrandRequest): Promise<Reading<unknown>> {
  if (make.toUpperCase() !== meta.brand.make) throw new VehicleError({ kind: 'not_capable', platform: true });
  throw new VehicleError({ kind: 'not_capable', platform: true }, `${req.method} ${make}/${req.path} is not simulated`);
}
