/**
 * Deterministic randomness. Every random choice of the simulator comes from a seed derived from
 * stable inputs (vehicle id, account email, request counter): same inputs, same outputs.
 */

/** 32-bit FNV-1a hash of a string. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform float in [0, 1) from a seed and a salt, without keeping generator state. */
export function rand01(seed: number, salt: number): number {
  let t = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x7feb352d);
  t = Math.imul(t ^ (t >>> 15), 0x846ca68b);
  t ^= t >>> 16;
  return (t >>> 0) / 4294967296;
}

/** Seeded generator (mulberry32) for sequences of draws. */
export class Prng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (x: number) => HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
const hex4 = (x: number) => HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
/** FNV-1a state after the prefixes "0:", "1:", "2:", "3:" (the four words of a stable UUID). */
const WORD_BASIS = [0, 1, 2, 3].map((i) => {
  let h = 0x811c9dc5;
  for (const c of `${i}:`) { h ^= c.charCodeAt(0); h = Math.imul(h, 0x01000193); }
  return h;
});

/** 32-bit FNV-1a of the word prefix and `s`, i.e. hash32(`${i}:${s}`) without building that string. */
function word(i: number, s: string): number {
  let h = WORD_BASIS[i]!;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A UUID-shaped (version 4 layout) id derived from a string, stable across runs and processes: the
 * hex of hash32(`0:${s}`) … hash32(`3:${s}`), with the version nibble 4 and the variant bits 10.
 */
export function stableUuid(s: string): string {
  const a = word(0, s);
  const b = word(1, s);
  const c = word(2, s);
  const d = word(3, s);
  const variant = (((c >>> 28) & 0x3) | 0x8).toString(16);
  const version = `4${hex4(b & 0xfff).slice(1)}`;
  return `${hex8(a)}-${hex4(b >>> 16)}-${version}-${variant}${hex4(c >>> 16).slice(1)}-${hex4(c & 0xffff)}${hex8(d)}`;
}
