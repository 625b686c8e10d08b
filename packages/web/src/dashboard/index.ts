import type { FastifyInstance } from 'fastify';
import type { WebServices } from '../services.js';
import { signUpRoutes } from './signup.js';
import { signInRoutes } from './signin.js';
import { forgotPasswordRoutes } from './forgot-password.js';
import { resetPasswordRoutes } from './reset-password.js';
import { appsListRoutes } from './apps-list.js';
import { appSettingsRoutes } from './app-settings.js';
import { accountRoutes } from './account.js';
import { vehiclesRoutes } from './vehicles.js';
import { vehiclePageRoutes } from './vehicle-page.js';
import { logsRoutes } from './logs.js';
import { usageRoutes } from './usage.js';
import { simulatorRoutes } from './simulator.js';
import { webhooksRoutes } from './webhooks.js';
import { integrationsListRoutes } from './integrations-list.js';
import { integrationFormRoutes } from './integration-form.js';
import { integrationDetailRoutes } from './integration-detail.js';
import { integrationSubscriptionsRoutes } from './integration-subscriptions.js';
import { tryConnectRoutes } from './try-connect.js';
import { plansRoutes } from './plans.js';
import { membersRoutes } from './members.js';
import { inviteRoutes } from './invite.js';

/** Every page of the developer dashboard under /dashboard. */
export function dashboardRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    // Every dashboard route added below (and by later modules) has its team role known to the pages.
    app.addHook('onRoute', (route) => s.routeRoles.declare(route.method, route.url, route.config?.role));
    await app.register(signUpRoutes(s));
    await app.register(signInRoutes(s));
    await app.register(forgotPasswordRoutes(s));
    await app.register(resetPasswordRoutes(s));
    await app.register(appsListRoutes(s));
    await app.register(appSettingsRoutes(s));
    await app.register(accountRoutes(s));
    await app.register(vehiclesRoutes(s));
    await app.register(vehiclePageRoutes(s));
    await app.register(logsRoutes(s));
    await app.register(usageRoutes(s));
    await app.register(simulatorRoutes(s));
    await app.register(webhooksRoutes(s));
    await app.register(integrationsListRoutes(s));
    await app.register(integrationFormRoutes(s));
    await app.register(integrationDetailRoutes(s));
    await app.register(integrationSubscriptionsRoutes(s));
    await app.register(tryConnectRoutes(s));
    await app.register(plansRoutes(s));
    await app.register(membersRoutes(s));
    await app.register(inviteRoutes(s));
  };
}
