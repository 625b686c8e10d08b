import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmacSha256Hex, randomToken, safeEqual, sha256 } from '@opencar/core';
import { WebRepo, type SessionKind as StoredSessionKind, type WebSessionRow } from '@opencar/storage';
import type { WebDeps } from '../deps.js';
import { parseCookies, serializeCookie } from './cookies.js';

const IDLE_MS = 12 * 3600_000;
const PURGE_EVERY_MS = 3600_000;
const TOUCH_EVERY_MS = 60_000;
const PRE_COOKIE = 'oc_pre';

/** The sessions of the two UIs here (the admin page keeps its own operator sessions). */
export type SessionKind = Exclude<StoredSessionKind, 'operator'>;

export const SESSION_COOKIES: Record<SessionKind, { name: string; path: string }> = {
  developer: { name: 'oc_dev', path: '/dashboard' },
  owner: { name: 'oc_owner', path: '/account' },
};

export interface Session {
  kind: SessionKind;
  subjectId: string;
  data: Record<string, unknown>;
  /** The raw id (from the cookie): the CSRF token is derived from it. */
  id: string;
}

/**
 * Server-side sessions: a random id in an HttpOnly, SameSite=Lax cookie (Secure over https), only its
 * sha256 stored. CSRF tokens are HMACs of the session id (or of a pre-session cookie on the sign-in
 * and sign-up forms) under the platform key, so they need no storage and die with the session.
 */
export class Sessions {
  private readonly repo: WebRepo;
  private purgedAt = Number.NEGATIVE_INFINITY;
  private readonly secure: boolean;
  constructor(private readonly deps: WebDeps) {
    this.repo = new WebRepo(deps.storage.db);
    this.secure = deps.config.publicUrl.startsWith('https:') || deps.config.tls !== undefined;
  }

  async load(req: FastifyRequest, kind: SessionKind): Promise<Session | undefined> {
    const id = parseCookies(req.headers.cookie)[SESSION_COOKIES[kind].name];
    if (!id) return undefined;
    const now = this.deps.clock.now();
    const row = await this.repo.findSession(sha256(id), kind, now);
    if (!row) return undefined;
    if (now - row.last_seen_at > TOUCH_EVERY_MS) await this.repo.touchSession(row.id_hash, now, now + IDLE_MS);
    return { kind, subjectId: row.subject_id, data: JSON.parse(row.data) as Record<string, unknown>, id };
  }

  /** Starts a fresh session (a new id every sign-in: no fixation). */
  async start(reply: FastifyReply, kind: SessionKind, subjectId: string, data: Record<string, unknown> = {}): Promise<Session> {
    const id = randomToken(32);
    const now = this.deps.clock.now();
    const row: WebSessionRow = { id_hash: sha256(id), kind, subject_id: subjectId, data: JSON.stringify(data), created_at: now, last_seen_at: now, expires_at: now + IDLE_MS };
    await this.repo.createSession(row);
    // Sign-ins purge expired sessions, at most once an hour per process.
    if (now - this.purgedAt >= PURGE_EVERY_MS) {
      this.purgedAt = now;
      await this.repo.deleteExpiredSessions(now);
    }
    const c = SESSION_COOKIES[kind];
    reply.header('set-cookie', serializeCookie(c.name, id, { path: c.path, secure: this.secure }));
    return { kind, subjectId, data, id };
  }

  async end(req: FastifyRequest, reply: FastifyReply, kind: SessionKind): Promise<void> {
    const c = SESSION_COOKIES[kind];
    const id = parseCookies(req.headers.cookie)[c.name];
    if (id) await this.repo.deleteSession(sha256(id));
    reply.header('set-cookie', serializeCookie(c.name, '', { path: c.path, secure: this.secure, maxAge: 0 }));
  }

  endAllOf(kind: SessionKind, subjectId: string): Promise<number> {
    return this.repo.deleteSessionsOf(kind, subjectId);
  }

  /** The token to embed in forms; sets the pre-session cookie when there is no session yet. */
  csrfToken(req: FastifyRequest, reply: FastifyReply, session: Session | undefined): string {
    if (session) return hmacSha256Hex(this.deps.secretKey, `csrf:${session.kind}:${session.id}`);
    let pre = parseCookies(req.headers.cookie)[PRE_COOKIE];
    if (!pre) {
      pre = randomToken(24);
      reply.header('set-cookie', serializeCookie(PRE_COOKIE, pre, { path: '/', secure: this.secure }));
    }
    return hmacSha256Hex(this.deps.secretKey, `pre:${pre}`);
  }

  checkCsrf(req: FastifyRequest, session: Session | undefined, submitted: unknown): boolean {
    if (typeof submitted !== 'string' || submitted.length === 0) return false;
    if (!sameOrigin(req)) return false;
    if (session) return safeEqual(submitted, hmacSha256Hex(this.deps.secretKey, `csrf:${session.kind}:${session.id}`));
    const pre = parseCookies(req.headers.cookie)[PRE_COOKIE];
    return pre !== undefined && safeEqual(submitted, hmacSha256Hex(this.deps.secretKey, `pre:${pre}`));
  }
}

/** A browser that sends Origin must send ours (defence in depth next to the token). */
function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin !== 'null';
  try { return new URL(origin).host === req.headers.host; } catch { return false; }
}
