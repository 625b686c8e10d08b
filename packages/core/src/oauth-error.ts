/** RFC 6749 style errors for /oauth/* endpoints, rendered as `{error, error_description}`. */
export class OAuthError extends Error {
  /** Seconds; rendered as the `retry-after` header. */
  retryAfter?: number;
  constructor(readonly error: string, readonly errorDescription: string, readonly statusCode = 400) {
    super(`${error}: ${errorDescription}`);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (d: string) => new OAuthError('invalid_request', d, 400);
export const invalidClient = (d = 'Client authentication failed.') => new OAuthError('invalid_client', d, 401);
export const invalidGrant = (d: string) => new OAuthError('invalid_grant', d, 400);
export const unsupportedGrantType = (d: string) => new OAuthError('unsupported_grant_type', d, 400);

/** 429 after too many failed credential checks; RFC 6749 has no code for it, `temporarily_unavailable` is the closest. */
export const tooManyAttempts = (retryAfterMs: number) => Object.assign(
  new OAuthError('temporarily_unavailable', 'Too many failed attempts; retry after the number of seconds in retry-after.', 429),
  { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
);
