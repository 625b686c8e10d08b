import type { BrandDef } from '../types.js';
import { tesla } from './tesla.js';
import { buick, cadillac, chevrolet, gmc } from './gm.js';
import { ford, lincoln } from './ford.js';

/** Every brand of the catalogue. Add a brand file, then list it here. */
export const BRANDS: readonly BrandDef[] = [
  tesla, chevrolet, cadillac, buick, gmc, ford, lincoln,
];
