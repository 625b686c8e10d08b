import { createHash, randomBytes } from 'node:crypto';
import type { Clock, TeslaConfig, TeslaRegion } from '@opencar/core';
import { VehicleError } from '../../errors.js';
import { errorText } from '../classify.js';
import { OemTransportError, type OemHttp, type OemResponse } from '../http.js';
import { OemAuthRejected, type TokenSet } from '../tokens.js';

/**
 * Tesla's OAuth 2.0: the authorization-code flow with PKCE (confidential applications also send
 * their client secret; public ones only the verifier), the refresh grant (single-use refresh
 * tokens, rotated on every refresh) and the client-credentials partner token.
 */
export interface Pkce { verifier: string; challenge: string }

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeRequest {
  redirectUri: string;
  state: string;
  scopes: readonly string[];
  codeChallenge: string;
  locale?: string;
}

/** Tesla's authorize URL for one Connect sign-in. */
export function teslaAuthorizeUrl(config: Pick<TeslaConfig, 'authorizeUrl' | 'clientId'>, r: AuthorizeRequest): string {
  const q = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: r.redirectUri, scope: r.scopes.join(' '), state: r.state,
    code_challenge: r.codeChallenge, code_challenge_method: 'S256', prompt_missing_scopes: 'true', ...(r.locale ? { locale: r.locale } : {}),
  });
  return `${config.authorizeUrl}?${q.toString()}`;
}

/** Claims opencar reads from a Tesla access token (a JWT it received from Tesla itself). */
export interface TeslaClaims { sub?: string; scp?: string[]; ou_code?: string; exp?: number }

export function tokenClaims(token: string): TeslaClaims {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const c = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    return {
      sub: typeof c.sub === 'string' ? c.sub : undefined,
      scp: Array.isArray(c.scp) ? c.scp.filter((s): s is string => typeof s === 'string') : undefined,
      ou_code: typeof c.ou_code === 'string' ? c.ou_code : undefined,
      exp: typeof c.exp === 'number' ? c.exp : undefined,
    };
  } catch { return {}; }
}

export interface TeslaSignIn extends TokenSet {
  /** Tesla's account id (the token subject). */
  subject: string;
  region: TeslaRegion;
}

/** A refused code or client: Connect shows it to the owner as an error page. */
export class TeslaAuthError extends Error {
  constructor(readonly error: string, message: string) { super(message); this.name = 'TeslaAuthError'; }
}

export class TeslaAuth {
  constructor(private readonly config: TeslaConfig, private readonly http: OemHttp, private readonly clock: Clock) {}

  /** Exchanges the code Tesla sent to opencar's callback. */
  async exchangeCode(p: { code: string; redirectUri: string; verifier: string; region: TeslaRegion }): Promise<TeslaSignIn> {
    const res = await this.post({
      grant_type: 'authorization_code', client_id: this.config.clientId, ...this.secret(), code: p.code, code_verifier: p.verifier,
      redirect_uri: p.redirectUri, audience: this.config.fleetUrls[p.region],
    });
    if (res.status !== 200) {
      const j = res.json as { error?: string } | undefined;
      throw new TeslaAuthError(j?.error ?? `http_${res.status}`, `Tesla refused the sign-in: ${errorText(res)}`);
    }
    const t = this.tokens(res);
    const claims = tokenClaims(t.accessToken);
    if (!claims.sub) throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'Tesla access token carries no subject');
    return { ...t, subject: claims.sub, region: p.region };
  }

  /** Tesla's refresh grant; the refresh token is single-use and a new one comes back. */
  async refresh(refreshToken: string): Promise<TokenSet> {
    const res = await this.post({ grant_type: 'refresh_token', client_id: this.config.clientId, refresh_token: refreshToken });
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new OemAuthRejected(`Tesla refused the refresh token (${res.status} ${errorText(res)})`);
    }
    if (res.status !== 200) throw new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, `Tesla token endpoint answered ${res.status}`);
    return this.tokens(res);
  }

  /** A partner authentication token (client credentials) for a region's Fleet API: partner registration. */
  async partnerToken(region: TeslaRegion): Promise<string> {
    if (!this.config.clientSecret) {
      throw new VehicleError({ kind: 'upstream', code: 'KNOWN_ISSUE' }, 'partner tokens need OPENCAR_TESLA_CLIENT_SECRET (public applications cannot register)');
    }
    const res = await this.post({
      grant_type: 'client_credentials', client_id: this.config.clientId, client_secret: this.config.clientSecret,
      scope: 'openid vehicle_device_data vehicle_cmds vehicle_charging_cmds', audience: this.config.fleetUrls[region],
    });
    if (res.status !== 200) throw new TeslaAuthError('partner_token', `Tesla refused the partner token: ${res.status} ${errorText(res)}`);
    return this.tokens(res).accessToken;
  }

  private secret(): Record<string, string> {
    return this.config.clientSecret ? { client_secret: this.config.clientSecret } : {};
  }

  private async post(form: Record<string, string>): Promise<OemResponse> {
    try {
      return await this.http.send({ method: 'POST', url: this.config.tokenUrl, form, timeoutMs: this.config.requestTimeoutMs, idempotent: false });
    } catch (err) {
      if (err instanceof OemTransportError) throw new VehicleError({ kind: 'timeout' }, `Tesla token endpoint: ${err.message}`);
      throw err;
    }
  }

  private tokens(res: OemResponse): TokenSet {
    const j = res.json as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; scope?: unknown } | undefined;
    if (!j || typeof j.access_token !== 'string' || typeof j.expires_in !== 'number') {
      throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'Tesla token answer lacks access_token or expires_in');
    }
    const scopes = typeof j.scope === 'string' ? j.scope.split(/\s+/).filter(Boolean) : tokenClaims(j.access_token).scp ?? [];
    return {
      accessToken: j.access_token,
      refreshToken: typeof j.refresh_token === 'string' ? j.refresh_token : null,
      expiresAt: this.clock.now() + j.expires_in * 1000,
      scopes,
    };
  }
}
