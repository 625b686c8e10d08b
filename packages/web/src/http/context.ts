import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionKind } from '@opencar/storage';
import { langOf, translator, type Lang, type MessageKey, type Translate } from '../i18n/index.js';
import type { Session } from './session.js';

/** Per-request state of the UIs: language, translator, the session of the area, the CSRF token. */
export interface WebContext {
  lang: Lang;
  t: Translate;
  /** Path without the query, for the language switcher. */
  path: string;
  kind: SessionKind;
  session: Session | undefined;
  csrf: string;
}

const contexts = new WeakMap<FastifyRequest, WebContext>();

export function setContext(req: FastifyRequest, c: WebContext): void { contexts.set(req, c); }

export function ctx(req: FastifyRequest): WebContext {
  const c = contexts.get(req);
  if (c) return c;
  const lang = langOf(req);
  return { lang, t: translator(lang), path: req.url.split('?')[0] ?? '/', kind: 'developer', session: undefined, csrf: '' };
}

/** A failure rendered as an HTML page by the UIs' own error handler. */
export class WebError extends Error {
  constructor(readonly statusCode: number, readonly messageKey: MessageKey) {
    super(messageKey);
    this.name = 'WebError';
  }
}

export function redirect(reply: FastifyReply, to: string): FastifyReply {
  return reply.code(303).header('location', to).header('cache-control', 'no-store').send();
}

/** Form values arrive as strings, or arrays when a name repeats (checkboxes). */
export type Form = Record<string, string | string[] | undefined>;

export function formOf(req: FastifyRequest): Form {
  return (req.body && typeof req.body === 'object' ? req.body : {}) as Form;
}

export function str(form: Form, name: string, max = 2000): string {
  const v = form[name];
  const s = Array.isArray(v) ? v[0] ?? '' : v ?? '';
  return s.trim().slice(0, max);
}

export function list(form: Form, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
}
