import { describe, expect, it } from 'vitest';
import { sha256 } from '@opencar/core';
import { mintTokenPair, tokenKey } from '../src/tokens.js';

describe('access and refresh token keys', () => {
  it('mints tokens that begin with their minting time and stay URL-safe', () => {
    const at = Date.UTC(2026, 11, 3, 8, 0, 0);
    const pair = mintTokenPair(at);
    for (const t of [pair.response.access_token, pair.response.refresh_token]) {
      expect(t).toMatch(/^[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
      expect(parseInt(t.slice(0, 12), 16)).toBe(at);
    }
    expect(pair.access.hash).toBe(tokenKey(pair.response.access_token));
    expect(pair.refresh.hash).toBe(tokenKey(pair.response.refresh_token));
  });

  it('keys a token by its time prefix and the sha256 of the whole token', () => {
    const token = `0192f3a4b5c6.${'A'.repeat(43)}`;
    expect(tokenKey(token)).toBe(`0192f3a4b5c6.${sha256(token)}`);
    // Another secret behind the same prefix has another key.
    expect(tokenKey(`0192f3a4b5c6.${'B'.repeat(43)}`)).not.toBe(tokenKey(token));
  });

  it('keys tokens minted before the prefix (or any other string) by their sha256 alone', () => {
    for (const t of ['access-1', 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg', '0192F3A4B5C6.upper-case-is-not-a-prefix', '0192f3a4b5c.short']) {
      expect(tokenKey(t)).toBe(sha256(t));
    }
  });

  it('keys of later tokens sort after earlier ones (new index entries go at the end)', () => {
    const keys = [1_000, 2_000, 3_000, 1_800_000_000_000].map((at) => mintTokenPair(at).refresh.hash);
    expect([...keys].sort()).toEqual(keys);
  });
});
