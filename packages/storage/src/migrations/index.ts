import type { Migration } from 'kysely';
import * as accounts from './0001-accounts.js';
import * as simulator from './0002-simulator.js';
import * as oauth from './0003-oauth.js';
import * as metering from './0004-metering.js';
import * as webhooks from './0005-webhooks.js';
import * as web from './0006-web.js';
import * as ledgerLayout from './0007-ledger-layout.js';
import * as ledgerJournal from './0008-ledger-journal.js';
import * as webhooksFixes from './0009-webhooks-fixes.js';
import * as ownerPasswords from './0010-owner-passwords.js';
import * as quotaHolds from './0011-quota-holds.js';
import * as signInFailures from './0012-sign-in-failures.js';
import * as credentialFailures from './0015-credential-failures.js';
import * as flowCsrfHash from './0016-flow-csrf-hash.js';
import * as liveMeansReal from './0013-live-means-real.js';
import * as appCredentials from './0017-app-credentials.js';
import * as simAccountApps from './0014-sim-account-apps.js';
import * as connectionExternalId from './0018-connection-external-id.js';
import * as chargeSchedules from './0019-charge-schedules.js';
import * as oemAccounts from './0020-oem-accounts.js';
import * as oemQuota from './0021-oem-quota.js';
import * as oemKeys from './0022-oem-keys.js';
import * as operators from './0023-operators.js';
import * as planHistory from './0030-plan-history.js';
import * as integrations from './0042-integrations.js';
import * as integrationWatch from './0044-integration-watch.js';
import * as requestDetails from './0048-request-details.js';
import * as chargeObservations from './0051-charge-observations.js';
import * as mailAndPasswordResets from './0050-mail-and-password-resets.js';
import * as webhookTestDeliveries from './0053-webhook-test-deliveries.js';
import * as team from './0052-team.js';
import * as webhookQueueHeads from './0057-webhook-queue-heads.js';
import * as oauthTokensFamilyByGrant from './0058-oauth-tokens-family-by-grant.js';
import * as requestDetailsByTime from './0059-request-details-by-time.js';
import * as oauthTokensWithoutAppIndex from './0060-oauth-tokens-without-app-index.js';
import * as oauthRevokedFamilies from './0061-oauth-revoked-families.js';

/**
 * Every migration, in order. Names are sortable; a migration must work on SQLite and PostgreSQL
 * (use the Kysely schema builder and the conventions in database.ts).
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-accounts': accounts,
  '0002-simulator': simulator,
  '0003-oauth': oauth,
  '0004-metering': metering,
  '0005-webhooks': webhooks,
  '0006-web': web,
  '0007-ledger-layout': ledgerLayout,
  '0008-ledger-journal': ledgerJournal,
  '0009-webhooks-fixes': webhooksFixes,
  '0010-owner-passwords': ownerPasswords,
  '0011-quota-holds': quotaHolds,
  '0012-sign-in-failures': signInFailures,
  '0013-live-means-real': liveMeansReal,
  '0014-sim-account-apps': simAccountApps,
  '0015-credential-failures': credentialFailures,
  '0016-flow-csrf-hash': flowCsrfHash,
  '0017-app-credentials': appCredentials,
  '0018-connection-external-id': connectionExternalId,
  '0019-charge-schedules': chargeSchedules,
  '0020-oem-accounts': oemAccounts,
  '0021-oem-quota': oemQuota,
  '0022-oem-keys': oemKeys,
  '0023-operators': operators,
  '0030-plan-history': planHistory,
  '0042-integrations': integrations,
  '0044-integration-watch': integrationWatch,
  '0048-request-details': requestDetails,
  '0051-charge-observations': chargeObservations,
  '0050-mail-and-password-resets': mailAndPasswordResets,
  '0053-webhook-test-deliveries': webhookTestDeliveries,
  '0052-team': team,
  '0057-webhook-queue-heads': webhookQueueHeads,
  '0058-oauth-tokens-family-by-grant': oauthTokensFamilyByGrant,
  '0059-request-details-by-time': requestDetailsByTime,
  '0060-oauth-tokens-without-app-index': oauthTokensWithoutAppIndex,
  '0061-oauth-revoked-families': oauthRevokedFamilies,
};
