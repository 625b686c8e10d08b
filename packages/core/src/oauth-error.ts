/** RFC 6749 style errors for /oauth/* endpoints, rendered as `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly errorDescription: string, readonly statusCode = 400) {
    super(`${error}: ${errorDescription}`);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (d: string) => new OAuthError('invalid_request', d, 400);
export const invalidClient = (d = 'Client authentication failed.') => new OAuthError('invalid_client', d, 401);
export const invalidGrant = (d: string) => new OAuthError('invalid_grant', d, 400);
export const unsupportedGrantType = (d: string) => new OAuthError('unsupported_grant_type', d, 400);
