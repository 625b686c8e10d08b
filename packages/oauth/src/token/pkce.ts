import { createHash } from 'node:crypto';
import { safeEqual } from '@opencar/core';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 S256: BASE64URL(SHA256(code_verifier)) must equal the stored challenge. */
export function verifiesS256(verifier: string | undefined, challenge: string): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  return safeEqual(createHash('sha256').update(verifier).digest('base64url'), challenge);
}
