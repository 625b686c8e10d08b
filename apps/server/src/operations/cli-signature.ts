import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual, sha256 } from '@opencar/core';

/**
 * How the operator CLI proves itself to a running server: an HMAC-SHA256 over time, a nonce, the
 * method, path and body digest, keyed by a key derived from OPENCAR_SECRET_KEY (whoever holds the
 * platform key is the operator). A signature is good for 60 s and once.
 */
export const SIGNATURE_HEADER = 'x-opencar-operator';
export const OPERATOR_CONTENT_TYPE = 'application/vnd.opencar.operator+json';
const WINDOW_MS = 60_000;

const keyOf = (secretKey: string) => createHmac('sha256', secretKey).update('opencar operator interface').digest();

function mac(secretKey: string, at: number, nonce: string, method: string, path: string, body: string): string {
  return createHmac('sha256', keyOf(secretKey)).update(`${at}\n${nonce}\n${method.toUpperCase()}\n${path}\n${sha256(body)}`).digest('hex');
}

export function signRequest(secretKey: string, method: string, path: string, body: string, now = Date.now()): string {
  const nonce = randomBytes(16).toString('hex');
  return `${now}.${nonce}.${mac(secretKey, now, nonce, method, path, body)}`;
}

/** Checks signatures and remembers the nonces of the last window, so a captured request cannot be replayed. */
export class SignatureVerifier {
  private readonly seen = new Map<string, number>();
  constructor(private readonly secretKey: string) {}

  verify(header: string | undefined, method: string, path: string, body: string, now = Date.now()): boolean {
    const m = /^(\d{1,15})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(header ?? '');
    if (!m) return false;
    const at = Number(m[1]);
    if (Math.abs(now - at) > WINDOW_MS) return false;
    if (!safeEqual(mac(this.secretKey, at, m[2]!, method, path, body), m[3]!)) return false;
    for (const [n, t] of this.seen) if (now - t > 2 * WINDOW_MS) this.seen.delete(n); else break;
    if (this.seen.has(m[2]!)) return false;
    this.seen.set(m[2]!, now);
    return true;
  }
}
