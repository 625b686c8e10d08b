import type { WebDeps } from './deps.js';
import { Sessions } from './http/session.js';
import { Developers } from './services/developers.js';
import { Apps } from './services/apps.js';
import { Mailer } from './services/mailer.js';
import { PasswordResets } from './services/password-resets.js';
import { Team } from './services/team.js';
import { RouteRoles } from './dashboard/access.js';

/** Everything the route modules of both UIs share, built once per plugin registration. */
export interface WebServices {
  deps: WebDeps;
  sessions: Sessions;
  developers: Developers;
  apps: Apps;
  mailer: Mailer;
  passwordResets: PasswordResets;
  team: Team;
  /** The team roles dashboard routes declare (filled as routes register). */
  routeRoles: RouteRoles;
}

export function createServices(deps: WebDeps): WebServices {
  const apps = new Apps(deps);
  const mailer = new Mailer(deps);
  return { deps, sessions: new Sessions(deps), developers: new Developers(deps, apps), apps, mailer, passwordResets: new PasswordResets(deps, mailer), team: new Team(deps, mailer), routeRoles: new RouteRoles() };
}
