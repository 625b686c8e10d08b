import type { FastifyInstance } from 'fastify';
import type { IntegrationService } from '@opencar/webhooks';
import type { ApiDeps } from '../../deps.js';
import { managementApplicationRoutes, type MachineCredentialList } from './applications.js';
import { managementSubscriptionRoutes } from './subscriptions.js';
import { managementWebhookRoutes } from './webhooks.js';

export type { MachineCredentialList } from './applications.js';

/** Management API v3 (Smartcar's management host paths on this origin), authenticated with the application token. */
export function managementV3Routes(app: FastifyInstance, deps: ApiDeps, integrations: IntegrationService, credentials: MachineCredentialList): void {
  managementApplicationRoutes(app, deps, credentials);
  managementWebhookRoutes(app, deps, integrations);
  managementSubscriptionRoutes(app, deps, integrations);
}
