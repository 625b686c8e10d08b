import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';
import { permissionList } from './permission-list.js';

/** Step 4: choose vehicles (honouring single select) and approve or deny the permissions. */
export function consentPage(flow: Flow, tr: Translator, nonce: string, notice?: 'selectOne'): string {
  const d = flow.data;
  const app = d.appName;
  const type = d.singleSelect ? 'radio' : 'checkbox';
  let firstChecked = false;
  const vehicles = d.vehicles.map((v) => {
    const ok = v.unmet.length === 0;
    const checked = ok && (!d.singleSelect || !firstChecked);
    if (checked) firstChecked = true;
    return html`<label class="vehicle${ok ? '' : ' off'}"><input type="${type}" name="vehicle" value="${v.vehicleId}"${checked ? html` checked` : ''}${ok ? '' : html` disabled`}>
<span>${v.year} ${v.makeName ?? v.make} ${v.model}<small>VIN ${v.vin}</small>${ok ? '' : html`<small>${tr.t('incompatible')}</small>`}</span></label>`;
  });
  return connectPage({
    tr, nonce, flow, title: tr.t('consentHeading', { app }),
    body: html`<div class="page-content"><h1>${tr.t('consentHeading', { app })}</h1>
${notice ? html`<p class="notice" role="alert">${tr.t('selectOne')}</p>` : ''}
<form method="post" action="/connect/${flow.id}/consent">${csrfField(flow)}
<fieldset class="plain"><legend><strong>${d.singleSelect ? tr.t('chooseVehicle') : tr.t('chooseVehicles')}</strong></legend>${vehicles}</fieldset>
<p><strong>${tr.t('permissionsHeading', { app })}</strong></p>${permissionList(flow, tr)}
<div class="actions"><button type="submit" name="decision" value="deny" id="deny-button" class="secondary">${tr.t('deny')}</button>
<button type="submit" name="decision" value="approve" id="approval-button">${tr.t('allow')}</button></div></form></div>`,
  });
}
