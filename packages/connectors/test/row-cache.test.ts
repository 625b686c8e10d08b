import { describe, expect, it } from 'vitest';
import { RowCache } from '../src/sim/engine/storage.js';

const row = (n: number) => ({ version: n, json: `{"n":${n}}` });

describe('simulator row cache', () => {
  it('is bounded and drops the rows used longest ago first', () => {
    const c = new RowCache(4);
    for (const id of ['a', 'b', 'c', 'd', 'e']) c.set(id, row(1));
    expect(c.size).toBe(4);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toBeDefined(); // in the older half: moved to the back
    c.set('f', row(1));
    c.set('g', row(1));
    expect(c.get('b')).toBeDefined();
    expect(c.get('c')).toBeUndefined();
    expect(c.get('d')).toBeUndefined();
  });

  it('reading a recently used row does not reorder the cache', () => {
    const c = new RowCache(4);
    for (const id of ['a', 'b', 'c', 'd']) c.set(id, row(1));
    expect(c.get('c')).toBeDefined(); // used within the last max/2 insertions: stays where it is
    for (const id of ['e', 'f', 'g']) c.set(id, row(1));
    expect(c.get('c')).toBeUndefined();
    expect(c.get('d')).toBeDefined();
  });

  it('never drops a row used within the last max/2 insertions', () => {
    const max = 64;
    const c = new RowCache(max);
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    /** Insertions since each id was last used. */
    const since = new Map<string, number>();
    const missing: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const id = `v${rand(200)}`;
      if (rand(3) === 0) {
        c.set(id, row(i));
        for (const [k, n] of since) since.set(k, n + 1);
        since.set(id, 0);
      } else if (c.get(id)) {
        since.set(id, 0);
      }
      // Checking reads the rows too, which only makes them more recently used than the model says.
      if (i % 10 === 0) for (const [k, n] of since) if (n <= max / 2 && !c.get(k)) missing.push(`${k} at ${i}`);
      if (c.size > max) missing.push(`size ${c.size} at ${i}`);
    }
    expect(missing).toEqual([]);
  });
});
