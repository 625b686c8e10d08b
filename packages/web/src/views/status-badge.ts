import { html, type SafeHtml } from '@opencar/ui';
import type { Translate } from '../i18n/index.js';

/** A webhook's state (`unverified`, `active`, `disabled`) as a badge in the page's language; `data-status` keeps the value. */
export function hookStatusBadge(t: Translate, status: string): SafeHtml {
  const label = status === 'active' ? t('enum.hook.active') : status === 'unverified' ? t('enum.hook.unverified') : status === 'disabled' ? t('enum.hook.disabled') : status;
  return html`<span class="badge ${status === 'active' ? 'ok' : 'warn'} hook-status" data-status="${status}">${label}</span>`;
}

/**
 * A delivery's state as a badge in the page's language: delivered, pending (not tried yet), failed
 * (pending again after a failed attempt: it will be retried) or dead (given up).
 */
export function deliveryStatusBadge(t: Translate, d: { status: string; attempts: number }): SafeHtml {
  const shown = d.status === 'pending' && d.attempts > 0 ? 'failed' : d.status;
  const label = shown === 'delivered' ? t('enum.delivery.delivered') : shown === 'pending' ? t('enum.delivery.pending')
    : shown === 'failed' ? t('enum.delivery.failed') : shown === 'dead' ? t('enum.delivery.dead') : shown;
  return html`<span class="badge ${shown === 'delivered' ? 'ok' : shown === 'dead' ? 'bad' : 'warn'} delivery-status" data-status="${shown}">${label}</span>`;
}
