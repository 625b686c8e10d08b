import { randomBytes, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

/**
 * A UUID (version 7 layout) that starts with the time `at` (epoch ms) and ends with 74 random bits:
 * rows keyed by it are appended at the end of their index instead of anywhere in it.
 */
export function timeOrderedUuid(at: number): string {
  const time = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** URL-safe random token (letters, digits, `-`, `_`), never containing `=`, `&`, `%` or `+`. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
