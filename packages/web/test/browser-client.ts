import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A tiny browser stand-in over `app.inject`: keeps cookies, reads the CSRF token of the last page,
 * posts urlencoded forms. No sockets.
 */
export class FormClient {
  readonly cookies = new Map<string, string>();
  lastHtml = '';
  /** `remoteAddress`: the client address the server sees (throttles count per address). */
  constructor(private readonly app: FastifyInstance, private readonly headers: Record<string, string> = {}, private readonly remoteAddress?: string) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}), headers: { ...this.headers, ...headers, cookie: this.cookieHeader() } });
    this.keep(res);
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }

  /** Posts a form with the CSRF token from the last page (unless `_csrf` is given). */
  async post(url: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (!('_csrf' in form)) body.append('_csrf', this.csrf());
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await this.app.inject({
      method: 'POST', url, payload: body.toString(), ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}),
      headers: { ...this.headers, ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
    });
    this.keep(res);
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    return m?.[1] ?? '';
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): void {
    const raw = res.headers['set-cookie'];
    for (const c of Array.isArray(raw) ? raw : raw ? [raw] : []) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/.test(c)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }
}

/** The text of a `<input id=… value=…>` (secrets shown once). */
export function inputValue(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}" readonly value="([^"]*)"`).exec(html)?.[1];
}
