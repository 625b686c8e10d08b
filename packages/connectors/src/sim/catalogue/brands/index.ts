import type { BrandDef } from '../types.js';
import { tesla } from './tesla.js';
import { buick, cadillac, chevrolet, gmc } from './gm.js';
import { ford, lincoln } from './ford.js';
import { alfaRomeo, chrysler, citroen, dodge, ds, fiat, jeep, opel, peugeot, ram } from './stellantis.js';
import { audi, cupra, porsche, skoda, volkswagen } from './vw-group.js';
import { bmw, mini } from './bmw-group.js';
import { mercedes, smart } from './mercedes.js';
import { genesis, hyundai, kia } from './hyundai-group.js';
import { acura, honda, infiniti, lexus, mazda, mitsubishi, nissan, subaru, toyota } from './japan.js';
import { dacia, jaguar, landRover, polestar, renault, volvo } from './europe.js';
import { lucid, rivian } from './newcomers.js';

/** Every brand of the catalogue. Add a brand file, then list it here. */
export const BRANDS: readonly BrandDef[] = [
  tesla, chevrolet, cadillac, buick, gmc, ford, lincoln,
  jeep, ram, dodge, chrysler, fiat, alfaRomeo, peugeot, citroen, opel, ds,
  volkswagen, audi, porsche, skoda, cupra, bmw, mini, mercedes, smart,
  hyundai, kia, genesis, toyota, lexus, honda, acura, nissan, infiniti, mazda, subaru, mitsubishi,
  volvo, polestar, jaguar, landRover, renault, dacia, rivian, lucid,
];
