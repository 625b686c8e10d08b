import type { TeamRole } from '@opencar/storage';
import { raw, type SafeHtml } from '@opencar/ui';
import { roleAllows } from '../services/team.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The least team role that may use a dashboard route. Undeclared: viewer for GET and HEAD,
     * developer for every other method (so a viewer can never change anything).
     */
    role?: TeamRole;
  }
}

const READS = new Set(['GET', 'HEAD']);

/** The role a route needs when it declares none. */
export const defaultRole = (method: string): TeamRole => (READS.has(method.toUpperCase()) ? 'viewer' : 'developer');

interface Rule { method: string; pattern: RegExp; role: TeamRole }

const compile = (url: string) => new RegExp(`^${url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);

/**
 * The roles the dashboard's routes declare, collected as routes are registered (an onRoute hook),
 * so pages can hide or disable the links and forms a role may not use without each page knowing.
 */
export class RouteRoles {
  private readonly rules: Rule[] = [];

  declare(methods: string | string[], url: string, role: TeamRole | undefined): void {
    if (!role) return;
    for (const method of Array.isArray(methods) ? methods : [methods]) this.rules.push({ method: method.toUpperCase(), pattern: compile(url), role });
  }

  /** The role needed to send `method` to `path` (a path of this server, query ignored). */
  needed(method: string, path: string): TeamRole {
    const p = path.split('?')[0] ?? path;
    const m = method.toUpperCase();
    return this.rules.find((r) => r.method === m && r.pattern.test(p))?.role ?? defaultRole(m);
  }
}

const FORM = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
const LINK = /<a\b([^>]*)>([\s\S]*?)<\/a>/gi;
const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(attrs)?.[1];
const unescape = (v: string) => v.replace(/&amp;/g, '&');

/**
 * The page body as `role` may use it: a form posting where the role may not post keeps showing its
 * values with every control disabled; a link to a page the role may not open is left out.
 */
export function lockControls(body: SafeHtml, role: TeamRole, roles: RouteRoles): SafeHtml {
  if (role === 'owner') return body;
  // A target that is not a path of this server (empty, relative, absolute URL) needs what the method needs by default.
  const may = (method: string, target: string) => roleAllows(role, target.startsWith('/') ? roles.needed(method, unescape(target)) : defaultRole(method));
  const text = body.value
    .replace(FORM, (whole, attrs: string, inner: string) => {
      const method = (attr(attrs, 'method') ?? 'get').toUpperCase();
      const target = attr(attrs, 'action') ?? '';
      if (method === 'GET' || may(method, target)) return whole;
      return `<form${attrs.replace(/\sdata-(confirm|busy)="[^"]*"/g, '')} data-locked="${role}"><fieldset class="locked" disabled>${inner}</fieldset></form>`;
    })
    .replace(LINK, (whole, attrs: string) => {
      const href = attr(attrs, 'href') ?? '';
      return !href.startsWith('/') || may('GET', href) ? whole : '';
    });
  return raw(text);
}
