import { describe, expect, it } from 'vitest';
import { ApiError, CATALOGUE, catalogueEntry, docUrl, decryptSecret, encryptSecret, hashPassword, verifyPassword, randomToken } from '../src/index.js';

describe('error catalogue', () => {
  it('has unique type:code keys and valid statuses', () => {
    const keys = CATALOGUE.map((e) => `${e.type}:${e.code}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of CATALOGUE) expect([400, 401, 403, 404, 409, 413, 429, 430, 500, 501, 502]).toContain(e.status);
  });

  it('builds ApiErrors with the catalogue status and resolution', () => {
    const err = new ApiError('CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED', { resolutionUrl: 'https://x/reauth' });
    expect(err.statusCode).toBe(400);
    expect(err.resolution).toEqual({ type: 'REAUTHENTICATE', url: 'https://x/reauth' });
    expect(new ApiError('PERMISSION').code).toBeNull();
    expect(catalogueEntry('RATE_LIMIT:VEHICLE').status).toBe(429);
  });

  it('points docURL at the platform error page with a kebab-case anchor', () => {
    expect(docUrl('http://h', 'VEHICLE_STATE', 'CHARGING_PLUG_NOT_CONNECTED')).toBe('http://h/docs/errors/vehicle-state-errors#charging-plug-not-connected');
    expect(docUrl('http://h', 'AUTHENTICATION', null)).toBe('http://h/docs/errors/authentication-errors#null');
  });
});

describe('secrets', () => {
  it('seals and opens secrets only with the right key', () => {
    const sealed = encryptSecret('key-one-0123456789', 'amt-value');
    expect(sealed).not.toContain('amt-value');
    expect(decryptSecret('key-one-0123456789', sealed)).toBe('amt-value');
    expect(() => decryptSecret('key-two-0123456789', sealed)).toThrow();
  });

  it('hashes passwords with scrypt and verifies them', async () => {
    const h = await hashPassword('correct horse');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('wrong', h)).toBe(false);
  });

  it('makes URL-safe tokens', () => {
    for (let i = 0; i < 50; i++) expect(randomToken()).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('password hashes', () => {
  it('verify with the parameters stored in the hash and reject malformed hashes', async () => {
    const h = await hashPassword('pw');
    const [, , r, p, salt, hash] = h.split('$');
    expect(await verifyPassword('pw', ['scrypt', 1024, r, p, salt, hash].join('$'))).toBe(false);
    expect(await verifyPassword('pw', 'scrypt$x$8$1$salt$hash')).toBe(false);
    expect(await verifyPassword('pw', 'scrypt$16384$8$1$c2FsdA$')).toBe(false);
    expect(await verifyPassword('pw', 'bcrypt$whatever')).toBe(false);
  });
});
