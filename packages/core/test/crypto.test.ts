import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/crypto.js';

describe('sha256', () => {
  it('is the FIPS 180-2 digest in lowercase hex', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes any string, non-ASCII included, as its UTF-8 bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => sha256(s) === createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex')), { numRuns: 300 });
  });
});
