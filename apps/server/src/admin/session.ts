import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmacSha256Hex, randomToken, safeEqual, sha256, type Clock } from '@opencar/core';
import { WebRepo, type Storage } from '@opencar/storage';

const COOKIE = 'oc_op';
const PRE_COOKIE = 'oc_op_pre';
const PATH = '/admin';
const IDLE_MS = 2 * 3600_000;

export interface OperatorSession { operatorId: string; id: string }

function cookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] ??= part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Operator sessions of the admin page: a random id in an HttpOnly, SameSite=Strict cookie scoped to
 * /admin (Secure over https), only its hash stored, two hours idle. CSRF tokens are HMACs of the
 * session id (of a pre-session cookie on the sign-in form) under the platform key.
 */
export class OperatorSessions {
  private readonly repo: WebRepo;
  constructor(storage: Storage, private readonly clock: Clock, private readonly secretKey: string, private readonly secure: boolean) {
    this.repo = new WebRepo(storage.db);
  }

  private cookie(name: string, value: string, maxAge?: number): string {
    return [`${name}=${value}`, `Path=${PATH}`, 'HttpOnly', 'SameSite=Strict', ...(this.secure ? ['Secure'] : []), ...(maxAge !== undefined ? [`Max-Age=${maxAge}`] : [])].join('; ');
  }

  async load(req: FastifyRequest): Promise<OperatorSession | undefined> {
    const id = cookies(req.headers.cookie)[COOKIE];
    if (!id || !/^[\w-]{20,100}$/.test(id)) return undefined;
    const now = this.clock.now();
    const row = await this.repo.findSession(sha256(id), 'operator', now);
    if (!row) return undefined;
    await this.repo.touchSession(row.id_hash, now, now + IDLE_MS);
    return { operatorId: row.subject_id, id };
  }

  async start(reply: FastifyReply, operatorId: string): Promise<void> {
    const id = randomToken(32);
    const now = this.clock.now();
    await this.repo.createSession({ id_hash: sha256(id), kind: 'operator', subject_id: operatorId, data: '{}', created_at: now, last_seen_at: now, expires_at: now + IDLE_MS });
    reply.header('set-cookie', this.cookie(COOKIE, id));
  }

  async end(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = cookies(req.headers.cookie)[COOKIE];
    if (id) await this.repo.deleteSession(sha256(id));
    reply.header('set-cookie', this.cookie(COOKIE, '', 0));
  }

  csrfToken(req: FastifyRequest, reply: FastifyReply, session: OperatorSession | undefined): string {
    if (session) return hmacSha256Hex(this.secretKey, `csrf:operator:${session.id}`);
    let pre = cookies(req.headers.cookie)[PRE_COOKIE];
    if (!pre || !/^[\w-]{20,100}$/.test(pre)) {
      pre = randomToken(24);
      reply.header('set-cookie', this.cookie(PRE_COOKIE, pre));
    }
    return hmacSha256Hex(this.secretKey, `pre:operator:${pre}`);
  }

  checkCsrf(req: FastifyRequest, session: OperatorSession | undefined, submitted: unknown): boolean {
    if (typeof submitted !== 'string' || !submitted) return false;
    const origin = req.headers.origin;
    if (origin !== undefined) {
      try { if (new URL(origin).host !== req.headers.host) return false; } catch { return false; }
    }
    if (session) return safeEqual(submitted, hmacSha256Hex(this.secretKey, `csrf:operator:${session.id}`));
    const pre = cookies(req.headers.cookie)[PRE_COOKIE];
    return pre !== undefined && safeEqual(submitted, hmacSha256Hex(this.secretKey, `pre:operator:${pre}`));
  }
}
