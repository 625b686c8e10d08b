import type { WebDeps } from './deps.js';
import { Sessions } from './http/session.js';
import { Developers } from './services/developers.js';
import { Apps } from './services/apps.js';

/** Everything the route modules of both UIs share, built once per plugin registration. */
export interface WebServices {
  deps: WebDeps;
  sessions: Sessions;
  developers: Developers;
  apps: Apps;
}

export function createServices(deps: WebDeps): WebServices {
  const apps = new Apps(deps);
  return { deps, sessions: new Sessions(deps), developers: new Developers(deps, apps), apps };
}
