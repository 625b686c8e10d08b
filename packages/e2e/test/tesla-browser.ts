import { TEST_CLIENT, type LiveServer } from '../src/index.js';
import type { TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';

/** A cookie-keeping browser over fetch (redirects by hand, no page scripts). */
export class Browser {
  private readonly cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      if (/Max-Age=0/.test(c)) this.cookies.delete(pair.slice(0, i)); else this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
  /** Follows redirects until a page answers or `stop(url)` says where to stop; returns the last response and URL. */
  async follow(url: string, stop: (u: string) => boolean = () => false, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let res = await this.go(url, init);
    for (let i = 0; i < 15 && res.status >= 300 && res.status < 400; i++) {
      url = new URL(res.headers.get('location')!, url).toString();
      if (stop(url)) return { res, url };
      res = await this.go(url);
    }
    return { res, url };
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
export const form = (o: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(o), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

/** The flow's base URL (`/connect/<flowId>`) from any of its pages' URLs. */
export const flowBase = (u: string) => /^.*\/connect\/[0-9a-f-]{36}/.exec(u)![0];

/** The owner's part of Tesla's login page: fill in the form the emulator serves and post it; returns where Tesla redirects. */
export async function teslaLogin(b: Browser, emu: TeslaEmulator, teslaUrl: string, owner: { email: string; password: string }): Promise<string> {
  const html = await (await b.go(teslaUrl)).text();
  const fields: Record<string, string> = { identity: owner.email, credential: owner.password };
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
  const res = await b.go(`${emu.urls.auth}/oauth2/v3/authorize`, form(fields));
  return res.headers.get('location')!;
}

/**
 * The whole live Connect journey for a Tesla owner over HTTP (preamble → Tesla's login → consent),
 * then the app's code exchange: the app's access token and the vehicle id.
 */
export async function connectTeslaOverHttp(server: LiveServer, emu: TeslaEmulator, owner: { email: string; password: string }, scope: string): Promise<{ accessToken: string; vehicleId: string }> {
  const b = new Browser();
  const { res, url } = await b.follow(`${server.url}/oauth/authorize?response_type=code&client_id=${TEST_CLIENT.clientId}&redirect_uri=${encodeURIComponent(TEST_CLIENT.redirectUri)}&scope=${encodeURIComponent(scope)}&mode=live&make=TESLA&approval_prompt=force&state=s1`);
  const flowUrl = flowBase(url);
  await b.go(`${flowUrl}/continue`, form({ _csrf: csrfOf(await res.text()) }));
  await b.follow(flowUrl);
  const start = await b.go(`${flowUrl}/oem`);
  const back = await teslaLogin(b, emu, start.headers.get('location')!, owner);
  const consent = await (await b.follow(back)).res.text();
  const vehicle = /name="vehicle" value="([^"]+)"/.exec(consent)![1]!;
  const done = await b.go(`${flowUrl}/consent`, form({ _csrf: csrfOf(consent), vehicle, decision: 'approve' }));
  const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
  const tok = await fetch(`${server.url}/oauth/token`, {
    method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_CLIENT.redirectUri }),
  });
  const accessToken = ((await tok.json()) as { access_token: string }).access_token;
  const list = (await (await fetch(`${server.url}/v2.0/vehicles`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { vehicles: string[] };
  return { accessToken, vehicleId: list.vehicles[0]! };
}
