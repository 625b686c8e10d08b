import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../src/index.js';

describe('timeOrderedUuid', () => {
  it('is a version-7 UUID starting with the time, so later ids sort after earlier ones', () => {
    const at = Date.UTC(2026, 11, 2, 19, 0, 0);
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    const ids = [at, at + 1, at + 1000, at + 86_400_000].map(timeOrderedUuid);
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs for ids of the same millisecond', () => {
    const at = 1_700_000_000_000;
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(at))).size).toBe(1000);
  });
});
