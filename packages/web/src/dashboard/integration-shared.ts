import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import type { IntegrationView, SignalChoice } from '@opencar/webhooks';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { WebError } from '../http/context.js';

export type Integrations = NonNullable<WebServices['deps']['integrations']>;

/** The integration service, or a 503 page when the platform runs without it. */
export function integrationsOf(s: WebServices): Integrations {
  if (!s.deps.integrations) throw new WebError(503, 'common.notAvailable');
  return s.deps.integrations;
}

/** `/dashboard/apps/:appId/integrations[/…]`. */
export function integrationsPath(a: App, rest = ''): string {
  return `/dashboard/apps/${encodeURIComponent(a.id)}/integrations${rest}`;
}

export function integrationId(req: FastifyRequest): string {
  return (req.params as { integrationId: string }).integrationId;
}

/** Runs a service call; its "no such integration" (never another account's) is the dashboard's 404 page. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) {
    if (isApiError(err) && err.statusCode === 404) throw new WebError(404, 'error.notFound');
    throw err;
  }
}

/** The state of an integration: enabled, verified (but disabled) or not verified, as a badge. */
export function integrationBadge(t: Translate, i: Pick<IntegrationView, 'isEnabled' | 'isVerified'>): SafeHtml {
  const state = i.isEnabled ? 'enabled' : i.isVerified ? 'disabled' : 'unverified';
  const label = state === 'enabled' ? t('integ.state.enabled') : state === 'disabled' ? t('integ.state.disabled') : t('integ.state.unverified');
  return html`<span class="badge ${state === 'enabled' ? 'ok' : 'warn'} integration-state" data-state="${state}">${label}</span>`;
}

/** `StateOfCharge` → `State of charge`, `IsCabinHVACActive` → `Is cabin HVAC active`, `DTCCount` → `DTC count`. */
export function readable(name: string): string {
  const words = name.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? [name];
  return words.map((w, i) => (i === 0 || (w.length > 1 && w === w.toUpperCase()) ? w : w.toLowerCase())).join(' ');
}

const GROUPS = ['Charge', 'Climate', 'Closure', 'ConnectivitySoftware', 'ConnectivityStatus', 'Diagnostics', 'HVAC', 'InternalCombustionEngine', 'Location',
  'LowVoltageBattery', 'Motion', 'Odometer', 'Service', 'Surveillance', 'TractionBattery', 'Transmission', 'VehicleIdentification', 'VehicleUserAccount', 'Wheel'] as const;

/** A signal group in the page's language (`TractionBattery` → `Traction battery`, `Antriebsbatterie`); a group not known here in readable words. */
export function groupLabel(t: Translate, group: string): string {
  return (GROUPS as readonly string[]).includes(group) ? t(`integ.group.${group}` as MessageKey) : readable(group);
}

/** A signal as lists show it: `Traction battery · State of charge` (signal names are the catalogue's, in English). */
export function signalLabel(t: Translate, c: SignalChoice): string {
  return `${groupLabel(t, c.group)} · ${readable(c.name)}`;
}

/** The catalogue's signals by group, in catalogue order. */
export function signalGroups(choices: readonly SignalChoice[]): { group: string; signals: SignalChoice[] }[] {
  const groups = new Map<string, SignalChoice[]>();
  for (const c of choices) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return [...groups].map(([group, signals]) => ({ group, signals }));
}
