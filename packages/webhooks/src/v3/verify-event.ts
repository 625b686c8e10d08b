import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The payload 4.0 VERIFY event: unsigned, the challenge at `data.challenge`, compact JSON. The
 * receiver answers `{"challenge": hex HMAC-SHA256(AMT, challenge)}` with a 2xx, as in v2.
 */
export function verifyEvent(webhookId: string, webhookName: string, now: number): { challenge: string; body: string } {
  const challenge = randomBytes(24).toString('hex');
  const body = JSON.stringify({
    eventId: randomUUID(),
    eventType: 'VERIFY',
    data: { challenge },
    meta: { version: '4.0', webhookId, webhookName, deliveryId: randomUUID(), deliveredAt: now },
  });
  return { challenge, body };
}
