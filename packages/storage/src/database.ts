import type { AppsTable, DevelopersTable } from './tables/accounts.js';
import type { SimAccountsTable, SimEventsTable, SimVehiclesTable } from './tables/simulator.js';
import type { LedgerMetaTable, LedgerTable, QuotaHoldsTable, RateBucketsTable, StatementsTable, UsageCountersTable } from './tables/metering.js';
import type { IntegrationWatchTable } from './tables/integration-watch.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookSubscriptionsTable, WebhooksTable } from './tables/webhooks.js';
import type { OAuthCodesTable, OAuthConnectionsTable, OAuthFlowsTable, OAuthGrantsTable, OAuthRevokedFamiliesTable, OAuthTokensTable } from './tables/oauth.js';
import type { OwnerDeletionsTable, WebSessionsTable } from './tables/web.js';
import type { AppMachineCredentialsTable, AppTokensTable } from './tables/app-credentials.js';
import type { ChargeScheduleExecutionsTable, ChargeSchedulesTable } from './tables/charge-schedules.js';
import type { CredentialFailuresTable } from './tables/credential-failures.js';
import type { OperatorsTable } from './tables/operators.js';
import type { PlanHistoryTable } from './tables/plan-history.js';
import type { RequestDetailsTable } from './tables/request-details.js';
import type { ChargeObservationsTable } from './tables/charge-observations.js';
import type { MailOutboxTable, PasswordResetsTable } from './tables/mail.js';
import type { TeamInvitesTable, TeamMembersTable } from './tables/team.js';
import type { OemAccountsTable, OemKeysTable, OemPartnerRegionsTable, OemQuotaTable, OemTokensTable, OemVehiclesTable } from './tables/oem.js';

/**
 * Every table, by name. Each domain declares its tables in tables/<domain>.ts and adds them here.
 * Conventions that hold on SQLite and PostgreSQL alike: ids are text, times are epoch milliseconds
 * (bigint), booleans are integers 0/1, JSON is text.
 */
export interface Database {
  developers: DevelopersTable;
  apps: AppsTable;
  sim_accounts: SimAccountsTable;
  sim_vehicles: SimVehiclesTable;
  sim_events: SimEventsTable;
  oauth_flows: OAuthFlowsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_connections: OAuthConnectionsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
  oauth_revoked_families: OAuthRevokedFamiliesTable;
  ledger: LedgerTable;
  ledger_meta: LedgerMetaTable;
  usage_counters: UsageCountersTable;
  rate_buckets: RateBucketsTable;
  quota_holds: QuotaHoldsTable;
  statements: StatementsTable;
  webhooks: WebhooksTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  integration_watch: IntegrationWatchTable;
  web_sessions: WebSessionsTable;
  owner_deletions: OwnerDeletionsTable;
  credential_failures: CredentialFailuresTable;
  operators: OperatorsTable;
  oem_accounts: OemAccountsTable;
  oem_tokens: OemTokensTable;
  oem_vehicles: OemVehiclesTable;
  oem_quota: OemQuotaTable;
  oem_keys: OemKeysTable;
  oem_partner_regions: OemPartnerRegionsTable;
  app_machine_credentials: AppMachineCredentialsTable;
  app_tokens: AppTokensTable;
  charge_schedules: ChargeSchedulesTable;
  charge_schedule_executions: ChargeScheduleExecutionsTable;
  plan_history: PlanHistoryTable;
  request_details: RequestDetailsTable;
  charge_observations: ChargeObservationsTable;
  mail_outbox: MailOutboxTable;
  password_resets: PasswordResetsTable;
  team_members: TeamMembersTable;
  team_invites: TeamInvitesTable;
}
