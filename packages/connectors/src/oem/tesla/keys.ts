import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decryptSecret, encryptSecret, type Clock } from '@opencar/core';
import type { OemRepo } from '@opencar/storage';
import { CONNECTOR } from './services.js';

/**
 * The operator's key pair for Tesla Vehicle Commands: an EC key on secp256r1 (prime256v1), as
 * Tesla requires. The public key is served at `/.well-known/appspecific/com.tesla.3p.public-key.pem`
 * (Tesla fetches it during partner registration and the car shows the domain when the owner pairs
 * it); the private key, sealed at rest, is exported for the operator's `tesla-http-proxy`.
 */
export const PUBLIC_KEY_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';

export class TeslaKeys {
  constructor(private readonly repo: OemRepo, private readonly secretKey: string, private readonly clock: Clock) {}

  async publicPem(): Promise<string | undefined> {
    return (await this.repo.key(CONNECTOR))?.public_pem;
  }

  /** Creates the key pair (kept when one exists, unless `force`). */
  async generate(opts: { force?: boolean } = {}): Promise<{ publicPem: string; created: boolean }> {
    const existing = await this.repo.key(CONNECTOR);
    if (existing && !opts.force) return { publicPem: existing.public_pem, created: false };
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    await this.repo.putKey(CONNECTOR, publicPem, encryptSecret(this.secretKey, privatePem), this.clock.now());
    return { publicPem, created: true };
  }

  /** The private key in PEM (SEC1), for the command proxy's `-key-file`. */
  async privatePem(): Promise<string | undefined> {
    const row = await this.repo.key(CONNECTOR);
    return row ? decryptSecret(this.secretKey, row.private_sealed) : undefined;
  }
}

/** The uncompressed EC point (hex, `04…`), the form Tesla reports a registered public key in. */
export function publicKeyHex(publicPem: string): string {
  const jwk = createPublicKey(publicPem).export({ format: 'jwk' });
  return `04${Buffer.from(jwk.x!, 'base64url').toString('hex')}${Buffer.from(jwk.y!, 'base64url').toString('hex')}`;
}
