import type { Config } from '@opencar/core';
import type { ProvisionedCredentials } from './provision.js';

/** What the server logs once it listens (one log entry, in the log's own form). */
export function banner(config: Readonly<Config>, c: ProvisionedCredentials, startupMs: number): string {
  const u = config.publicUrl;
  const lines = [
    `opencar is ready (${Math.round(startupMs)} ms, storage ${config.databaseUrl.split(':')[0]})`,
    '',
    `  API (v2.0, v3)     ${u}/v2.0   ${u}/v3`,
    `  Connect            ${u}/oauth/authorize`,
    `  Token endpoint     ${u}/oauth/token`,
    `  Dashboard          ${u}/dashboard`,
    `  Owner portal       ${u}/account`,
    `  API reference      ${u}/docs/api   (OpenAPI: ${u}/openapi.json)`,
    `  Error reference    ${u}/docs/errors`,
    `  Health             ${u}/healthz   ${u}/readyz   ${u}/metrics`,
    '',
    c.kind === 'demo' ? '  Demo application (created on first start; see data dir demo-credentials.json)' : '  Seeded application (OPENCAR_SEED_*)',
    `    client id        ${c.clientId}`,
    ...(c.clientSecret ? [`    client secret    ${c.clientSecret}`] : []),
    ...(c.amt ? [`    management token ${c.amt}`] : []),
    `    redirect URIs    ${c.redirectUris.join(' ')}`,
    `    dashboard login  ${c.developerEmail}${c.developerPassword ? ` / ${c.developerPassword}` : ''}`,
    '',
    '  Point the official SDK here: SMARTCAR_API_ORIGIN, SMARTCAR_AUTH_ORIGIN, SMARTCAR_MANAGEMENT_API_ORIGIN and',
    `  SMARTCAR_API_V3_ORIGIN = ${u}`,
  ];
  return lines.join('\n');
}
