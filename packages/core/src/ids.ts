import { randomBytes, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

/** URL-safe random token (letters, digits, `-`, `_`), never containing `=`, `&`, `%` or `+`. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
