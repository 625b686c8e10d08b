import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';

/** The requested permissions in plain language, required ones marked. */
export function permissionList(flow: Flow, tr: Translator) {
  const items = flow.data.permissions.map((p) => html`<li data-permission="${p}">${tr.perm(p)}${flow.data.required.includes(p) ? html`<span class="req">${tr.t('required')}</span>` : ''}</li>`);
  return html`<ul class="perms">${items}</ul>`;
}
