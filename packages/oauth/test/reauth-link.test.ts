import { describe, expect, it } from 'vitest';
import { reauthenticateUrl } from '../src/index.js';
import { isSignedReauthentication } from '../src/connect/reauth-link.js';

const KEY = 'reauth-link-secret-0123456789';
const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? undefined;

describe('re-authentication links', () => {
  it('carry the wire-contract parameters and a token signed for one client and one vehicle', () => {
    const url = reauthenticateUrl('https://opencar.example', KEY, 'client-1', 'vehicle-1');
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('https://opencar.example/oauth/reauthenticate');
    expect(Object.fromEntries(u.searchParams)).toEqual({ response_type: 'vehicle_id', client_id: 'client-1', vehicle_id: 'vehicle-1', token: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const token = tokenOf(url);
    expect(isSignedReauthentication(KEY, 'client-1', 'vehicle-1', token)).toBe(true);
    expect(isSignedReauthentication(KEY, 'client-2', 'vehicle-1', token)).toBe(false);
    expect(isSignedReauthentication(KEY, 'client-1', 'vehicle-2', token)).toBe(false);
    expect(isSignedReauthentication('another-secret-0123456789', 'client-1', 'vehicle-1', token)).toBe(false);
  });

  it('refuse a missing, malformed or altered token', () => {
    const token = tokenOf(reauthenticateUrl('https://o.example', KEY, 'c', 'v'))!;
    for (const t of [undefined, '', token.toUpperCase(), token.slice(1), `${token}0`, `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`, 'z'.repeat(64)]) {
      expect(isSignedReauthentication(KEY, 'c', 'v', t), String(t)).toBe(false);
    }
  });

  it('have no token without a platform secret (Connect then starts at the brand list)', () => {
    expect(tokenOf(reauthenticateUrl('https://o.example', undefined, 'c', 'v'))).toBeUndefined();
  });
});
