import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then the random bits of
 * a version 4 UUID (its variant bits stay). Ids of attempts made one after another sort together,
 * so each new attempt row lands at the right edge of the primary-key index instead of on a random
 * page of it: fewer pages written per batch of outcomes, on SQLite and PostgreSQL alike.
 */
export function attemptId(now = Date.now()): string {
  const t = now.toString(16).padStart(12, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; from index 15 on: xxx-Vxxx-xxxxxxxxxxxx.
  return `${t.slice(-12, -4)}-${t.slice(-4)}-7${randomUUID().slice(15)}`;
}
