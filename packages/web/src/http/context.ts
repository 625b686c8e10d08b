import type { FastifyReply, FastifyRequest } from 'fastify';
import { plainDecimal } from '@opencar/core';
import type { SessionKind } from './session.js';
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

/**
 * Form values arrive as strings, or arrays when a name repeats (checkboxes). A body posted as JSON
 * can hold anything else (numbers, booleans, objects): the readers below see only strings.
 */
export type Form = Record<string, unknown>;

export function formOf(req: FastifyRequest): Form {
  return (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as Form;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

export function str(form: Form, name: string, max = 2000): string {
  return (strings(form[name])[0] ?? '').trim().slice(0, max);
}

export function list(form: Form, name: string): string[] {
  return strings(form[name]).map((s) => s.trim()).filter(Boolean);
}

/** A number field: empty means `fallback`; anything but a plain finite decimal is a 400 page. */
export function num(form: Form, name: string, fallback: number): number {
  const text = str(form, name, 40);
  if (text === '') return fallback;
  const n = plainDecimal(text);
  if (n === undefined) throw new WebError(400, 'error.badRequest');
  return n;
}
