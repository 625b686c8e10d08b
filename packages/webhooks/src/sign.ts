import { createHash } from 'node:crypto';
import { hmacSha256Hex } from '@opencar/core';

/** `SC-Signature`: lower-case hex HMAC-SHA256 of the exact body, keyed by the app's AMT (wire-contract §12). */
export function signBody(amt: string, body: string): string {
  return hmacSha256Hex(amt, body);
}

/** What a receiver must answer to the verify challenge. */
export function challengeAnswer(amt: string, challenge: string): string {
  return hmacSha256Hex(amt, challenge);
}

export type DeliveryMode = 'live' | 'test' | 'simulated';

/**
 * The v2 envelope, serialised compactly with JSON.stringify so that the official Node SDK, which
 * re-serialises the parsed body before hashing, computes the same signature.
 */
export function envelope(webhookId: string, eventName: string, mode: DeliveryMode | null, payload: unknown): string {
  return JSON.stringify(mode === null
    ? { version: '2.0', webhookId, eventName, payload }
    : { version: '2.0', webhookId, eventName, mode, payload });
}

/** A UUID-shaped id derived from its inputs: the same event to the same webhook always gets the same delivery id. */
export function stableId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
