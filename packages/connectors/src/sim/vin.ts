import { Prng } from './hash.js';
import { BRANDS, type BrandDef } from './catalogue/index.js';

/** VIN helpers: generation of valid 17-character VINs and decoding of make (WMI) and model year. */
const VIN_CHARS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY'; // 2010…2030
const TRANSLIT: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export function checkDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    const v = c >= '0' && c <= '9' ? Number(c) : TRANSLIT[c] ?? 0;
    sum += v * WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export function yearCode(year: number): string {
  if (year >= 2010 && year <= 2030) return YEAR_CODES[year - 2010]!;
  if (year >= 2001 && year <= 2009) return String(year - 2000);
  throw new Error(`model year out of range: ${year}`);
}

export function decodeYear(c: string): number | undefined {
  const i = YEAR_CODES.indexOf(c);
  if (i >= 0) return 2010 + i;
  if (c >= '1' && c <= '9') return 2000 + Number(c);
  return undefined;
}

/** A valid VIN for a brand's model: WMI, model index in the descriptor section, year code, serial. */
export function makeVin(brand: BrandDef, modelIndex: number, year: number, seed: number): string {
  const rng = new Prng(seed);
  const ch = () => VIN_CHARS[rng.int(0, VIN_CHARS.length - 1)]!;
  const vds = VIN_CHARS[modelIndex % 33]! + VIN_CHARS[Math.floor(modelIndex / 33) % 33]! + ch() + ch() + ch();
  let serial = '';
  for (let i = 0; i < 6; i++) serial += String(rng.int(0, 9));
  const draft = `${brand.wmi[0]}${vds}0${yearCode(year)}${ch()}${serial}`;
  return draft.slice(0, 8) + checkDigit(draft) + draft.slice(9);
}

export function isVinShaped(vin: string): boolean {
  return /^[A-HJ-NPR-Z0-9]{17}$/.test(vin);
}

const byWmi = new Map<string, BrandDef>();
for (const b of BRANDS) for (const w of b.wmi) if (!byWmi.has(w)) byWmi.set(w, b);

export interface DecodedVin { brand: BrandDef; year: number; modelIndex: number | undefined }

/** Make from the WMI, model year from position 10, model from the descriptor when it is one of ours. */
export function decodeVin(vin: string): DecodedVin | undefined {
  const v = vin.toUpperCase();
  if (!isVinShaped(v)) return undefined;
  const brand = byWmi.get(v.slice(0, 3));
  const year = decodeYear(v[9]!);
  if (!brand || year === undefined) return undefined;
  const idx = VIN_CHARS.indexOf(v[3]!) + 33 * VIN_CHARS.indexOf(v[4]!);
  const md = brand.models[idx];
  const modelIndex = md && md.startYear <= year && year <= md.endYear ? idx : undefined;
  return { brand, year, modelIndex };
}
