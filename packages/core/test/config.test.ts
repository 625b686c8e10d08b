import { describe, expect, it } from 'vitest';
import { ConfigError, isAllowedRedirectUri, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('applies development defaults that work with zero setup', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:3000', databaseUrl: 'sqlite:./data/opencar.db', seed: undefined, tls: undefined });
  });

  it('allows private webhook targets by default only when the server listens on loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(loadConfig({ HOST: host }).webhookAllowPrivate, host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'opencar.example']) expect(loadConfig({ HOST: host }).webhookAllowPrivate, host).toBe(false);
    expect(loadConfig({ OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({}).timeouts).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    expect(loadConfig({ OPENCAR_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
  });

  it('reads the map tile URL only with {z}, {x} and {y} and an http(s) origin', () => {
    expect(loadConfig({}).mapTiles).toBeUndefined();
    expect(loadConfig({ OPENCAR_MAP_TILES_URL: 'https://tiles.example/{z}/{x}/{y}.png', OPENCAR_MAP_ATTRIBUTION: '© Tiles' }).mapTiles)
      .toEqual({ url: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© Tiles' });
    expect(() => loadConfig({ OPENCAR_MAP_TILES_URL: 'https://tiles.example/tile.png' })).toThrow(/OPENCAR_MAP_TILES_URL: must contain \{z\}/);
    expect(() => loadConfig({ OPENCAR_MAP_TILES_URL: 'ftp://tiles.example/{z}/{x}/{y}' })).toThrow(/OPENCAR_MAP_TILES_URL/);
  });

  it('deep-freezes the result', () => {
    const c = loadConfig({ OPENCAR_SEED_CLIENT_ID: 'a', OPENCAR_SEED_CLIENT_SECRET: 'b', OPENCAR_SEED_REDIRECT_URIS: 'https://x.example/cb', OPENCAR_SEED_AMT: 'c' });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.seed)).toBe(true);
    expect(Object.isFrozen(c.seed!.redirectUris)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ OPENCAR_SECRET_KEY: 'short' }, 'OPENCAR_SECRET_KEY'],
    [{ TLS_CERT_FILE: '/x.pem' }, 'TLS_KEY_FILE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'OPENCAR_WEBHOOK_ALLOW_PRIVATE'],
    [{ OPENCAR_TRUST_PROXY: '10.0.0.0/33' }, 'OPENCAR_TRUST_PROXY'],
    [{ OPENCAR_TRUST_PROXY: 'proxy.local' }, 'OPENCAR_TRUST_PROXY'],
    [{ OPENCAR_HEADERS_TIMEOUT_MS: '5000', OPENCAR_REQUEST_TIMEOUT_MS: '1000' }, 'OPENCAR_HEADERS_TIMEOUT_MS'],
    [{ OPENCAR_KEEP_ALIVE_TIMEOUT_MS: '-1' }, 'OPENCAR_KEEP_ALIVE_TIMEOUT_MS'],
    [{ OPENCAR_SEED_CLIENT_ID: 'a' }, 'OPENCAR_SEED_CLIENT_SECRET'],
    [{ OPENCAR_SEED_CLIENT_ID: 'a', OPENCAR_SEED_CLIENT_SECRET: 'b', OPENCAR_SEED_AMT: 'c', OPENCAR_SEED_REDIRECT_URIS: 'ftp://x' }, 'OPENCAR_SEED_REDIRECT_URIS'],
  ])('rejects %j naming %s', (env, variable) => {
    let err: unknown;
    try { loadConfig(env); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message).toContain(variable);
  });

  it('accepts sqlite::memory: and postgres URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).databaseUrl).toBe('sqlite::memory:');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe('postgres://u@h/db');
  });
});

describe('isAllowedRedirectUri (wire-contract §2.2)', () => {
  it.each([
    ['https://app.example/cb', true],
    ['http://localhost:8000/cb', true],
    ['http://127.0.0.1/cb', true],
    ['http://app.example/cb', false],
    ['javascript:alert(1)', false],
    ['https://app.example/cb#frag', false],
    ['sccid123://callback', true],
    ['not a uri', false],
  ])('%s → %s', (uri, ok) => expect(isAllowedRedirectUri(uri)).toBe(ok));

  it('binds the custom scheme to the app', () => {
    expect(isAllowedRedirectUri('scabc://cb', 'abc')).toBe(true);
    expect(isAllowedRedirectUri('scother://cb', 'abc')).toBe(false);
  });
});
