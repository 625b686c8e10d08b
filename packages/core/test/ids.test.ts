import { describe, expect, it } from 'vitest';
import { randomToken, timeOrderedUuid } from '../src/index.js';

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

describe('randomToken', () => {
  it('encodes the asked number of random bytes, URL-safe, across pool refills', () => {
    const tokens = Array.from({ length: 600 }, () => randomToken(32));
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(Buffer.from(randomToken(24), 'base64url')).toHaveLength(24);
    expect(Buffer.from(randomToken(2048), 'base64url')).toHaveLength(2048);
  });

  it('never hands out the zeroed bytes of an earlier token', () => {
    // 32 zero bytes encode to 43 "A"s; a reused slice would show them.
    for (let i = 0; i < 400; i++) expect(randomToken(32)).not.toBe('A'.repeat(43));
  });
});
