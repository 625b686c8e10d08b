import { describe, expect, it } from 'vitest';
import { attemptId } from '../src/attempt-id.js';

describe('attempt ids', () => {
  it('are version 7 UUIDs that sort by time, and unique', () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const t = Date.UTC(2026, 6, 1);
    const ids = [attemptId(t), attemptId(t + 1), attemptId(t + 1000), attemptId(t + 3600_000)];
    for (const id of ids) expect(id).toMatch(re);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.replace(/-/g, '').slice(0, 12)).toBe(t.toString(16).padStart(12, '0'));
    const many = new Set(Array.from({ length: 10_000 }, () => attemptId(t)));
    expect(many.size).toBe(10_000);
  });
});
