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

/**
 * Bytes from the system's CSPRNG, drawn 4 KiB at a time (as Node does for `randomUUID`): a token
 * costs a slice of the pool instead of a call into the generator. Each byte is handed out once and
 * zeroed in the pool once encoded; requests above a quarter of the pool go to the generator directly.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** URL-safe random token (letters, digits, `-`, `_`), never containing `=`, `&`, `%` or `+`. */
export function randomToken(bytes = 32): string {
  if (bytes > POOL_BYTES / 4) return randomBytes(bytes).toString('base64url');
  if (offset + bytes > pool.length) { pool = randomBytes(POOL_BYTES); offset = 0; }
  const slice = pool.subarray(offset, offset + bytes);
  offset += bytes;
  const token = slice.toString('base64url');
  slice.fill(0);
  return token;
}
