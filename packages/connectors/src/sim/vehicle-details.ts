import type { VehicleDetails } from '../connector.js';
import type { ModelDef } from './catalogue/types.js';
import { rand01 } from './hash.js';
import type { SimState } from './state.js';

/**
 * Seeded equipment of a simulated vehicle (trim, paint, wheels, packages, nickname) and its
 * firmware version, derived from the vehicle's seed and clock: nothing is stored.
 */
const TESLA_COLORS = ['PearlWhite', 'SolidBlack', 'MidnightSilver', 'DeepBlue', 'RedMultiCoat', 'Quicksilver', 'StealthGrey'] as const;
const COLORS = ['White', 'Black', 'Silver', 'Grey', 'Blue', 'Red', 'Green'] as const;
export const TESLA_WHEELS = [['Aero', 457], ['Sport', 483], ['Induction', 508], ['Uberturbine', 533]] as const;
const WHEELS = ['Standard 17"', 'Sport 18"', 'Aero 19"', 'Performance 20"'] as const;
const TRIMS = ['Base', 'Comfort', 'Premium', 'Sport'] as const;
const PACKAGES = ['Winter', 'Driver Assistance', 'Technology', 'Premium Sound', 'Towing'] as const;
const NAMES = ['Sparky', 'Volta', 'Blue Bolt', 'Road Runner', 'Nikola'] as const;

export const pick = <T>(list: readonly T[], x: number): T => list[Math.floor(x * list.length) % list.length]!;
const x = (s: SimState, salt: number) => rand01(s.seed, salt);

/** Tesla performance trim and dual motor (drive the badge, packages and drive units). */
export const teslaPerformance = (s: SimState) => x(s, 0xa1) < 0.2;
export const teslaDualMotor = (s: SimState) => teslaPerformance(s) || x(s, 0xa2) < 0.6;

export function nickname(s: SimState): string | null {
  return x(s, 0xa3) < 0.5 ? pick(NAMES, x(s, 0xa4)) : null;
}

export function exteriorColor(s: SimState): string {
  return s.make === 'TESLA' ? pick(TESLA_COLORS, x(s, 0xa6)) : pick(COLORS, x(s, 0xa6));
}

export function teslaBadge(s: SimState, md: ModelDef): string {
  return `${teslaPerformance(s) ? 'p' : ''}${Math.round(md.batteryKwh ?? 0)}${teslaDualMotor(s) ? 'd' : ''}`;
}

/** Over-the-air versions follow the vehicle's clock: a release every two months. */
export function firmwareVersion(s: SimState, t: number): string {
  const d = new Date(t);
  const release = 2 + 2 * Math.floor(d.getUTCMonth() / 2);
  return s.make === 'TESLA'
    ? `${d.getUTCFullYear()}.${release}.${1 + (s.seed % 9)}`
    : `${s.year % 100}.${d.getUTCFullYear() % 100}${String(release).padStart(2, '0')}.${1 + (s.seed % 7)}`;
}

export function vehicleDetails(s: SimState, md: ModelDef): VehicleDetails {
  if (s.make === 'TESLA') {
    return {
      trim: teslaBadge(s, md), exteriorColor: exteriorColor(s), nickname: nickname(s),
      packages: [teslaPerformance(s) ? 'Performance' : 'Base', ...(teslaDualMotor(s) ? ['Dual Motor'] : [])],
      wheelStyle: pick(TESLA_WHEELS, x(s, 0xa5))[0],
    };
  }
  return {
    trim: pick(TRIMS, x(s, 0xa1)), exteriorColor: exteriorColor(s), nickname: nickname(s),
    packages: PACKAGES.filter((_, i) => x(s, 0xa9 + i) < 0.3),
    wheelStyle: pick(WHEELS, x(s, 0xa5)),
  };
}
