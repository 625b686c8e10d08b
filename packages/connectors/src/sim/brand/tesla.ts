import type { HandlerTable } from './call.js';
import { teslaCharge } from './tesla-charge.js';
import { teslaClimate } from './tesla-climate.js';
import { teslaVehicle } from './tesla-vehicle.js';

/** Every Tesla brand endpoint (wire-contract §5.8). */
export const tesla: HandlerTable = { ...teslaCharge, ...teslaClimate, ...teslaVehicle };
