import { invalidGrant, OAuthError } from '@opencar/core';

/**
 * invalid_grant for a code or refresh token this client was never issued: what guessing produces,
 * so the token endpoint counts it as a failed credential check (an expired or replayed one is not).
 */
export const unknownGrant = (description: string) => Object.assign(invalidGrant(description), { unknown: true as const });

export const isUnknownGrant = (err: unknown): boolean => err instanceof OAuthError && (err as { unknown?: boolean }).unknown === true;
