import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BASE_CSS_SOURCE } from '@opencar/ui';
import { safeEqual, sha256 } from '@opencar/core';
import { FLOW_TTL_MS, type Flow } from './flow.js';

/** Where a Connect form may send the browser: this origin and the app's redirect target. */
function formTarget(redirectUri: string | undefined): string {
  if (!redirectUri) return '';
  try {
    const u = new URL(redirectUri);
    return u.protocol === 'http:' || u.protocol === 'https:' ? ` ${u.origin}` : ` ${u.protocol}`;
  } catch { return ''; }
}

/**
 * Security headers for every Connect page: a nonce-based CSP (no inline code without the nonce),
 * no framing (clickjacking), no referrer (the flow id stays private), no caching.
 * Returns the nonce for the page's own style and script blocks.
 */
export function secureHeaders(reply: FastifyReply, redirectUri?: string): string {
  const nonce = randomBytes(16).toString('base64');
  reply.header('content-security-policy', [
    "default-src 'none'",
    `style-src ${BASE_CSS_SOURCE} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'self' https: data:",
    `form-action 'self'${formTarget(redirectUri)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '));
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'no-store');
  return nonce;
}

const cookieName = (flowId: string) => `ocf_${flowId.replace(/-/g, '')}`;

/** Binds a flow to the browser that started it: a cookie scoped to this flow's pages. */
export function setBindingCookie(reply: FastifyReply, flow: Flow, binding: string, secure: boolean): void {
  reply.header('set-cookie', `${cookieName(flow.id)}=${binding}; Path=/connect/${flow.id}; Max-Age=${FLOW_TTL_MS / 1000}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
}

function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The binding secret this browser holds for the flow with this id, if any. */
export const bindingOf = (req: FastifyRequest, flowId: string): string | undefined => readCookie(req, cookieName(flowId));

/** True when this browser holds the flow's binding cookie. */
export function isBoundBrowser(req: FastifyRequest, flow: Flow): boolean {
  const value = bindingOf(req, flow.id);
  return value !== undefined && safeEqual(sha256(value), flow.data.bindingHash);
}

/** True when a form post carries the flow's CSRF token (compared by hash: only the hash is stored). */
export function hasValidCsrf(body: Record<string, unknown>, flow: Flow): boolean {
  const token = body._csrf;
  return typeof token === 'string' && token !== '' && safeEqual(sha256(token), flow.csrfHash);
}
