import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { ctx, list, str, type Form } from '../http/context.js';
import { csrfInput, field, select, textarea } from '../views/components.js';
import { describePermission } from '@opencar/oauth';
import { CONTROL_PERMISSIONS, READ_PERMISSIONS } from '../services/permissions.js';
import type { AppSettings, SettingsProblem } from '../services/apps.js';

export function settingsFromForm(f: Form): AppSettings {
  return { name: str(f, 'name', 200), logoUrl: str(f, 'logo_url', 600), redirectUris: str(f, 'redirect_uris', 12000), defaultScope: list(f, 'scope'), mode: str(f, 'mode', 20) };
}

/** The settings form shared by "new app" and "app settings". */
export function appForm(req: FastifyRequest, action: string, v: AppSettings, problems: SettingsProblem[], badUris: string[], submit: string, clientId?: string): SafeHtml {
  const { t, csrf, lang } = ctx(req);
  const has = (p: SettingsProblem) => problems.includes(p);
  const perm = (p: string) => html`<div class="check"><input type="checkbox" id="perm-${p}" name="scope" value="${p}"${v.defaultScope.includes(p) ? html` checked` : ''}><label for="perm-${p}"><span class="perm-text">${describePermission(lang, p)}</span> <code class="perm-code">${p}</code></label></div>`;
  return html`<form method="post" action="${action}" class="card" novalidate>${csrfInput(csrf)}
${field({ label: t('app.name'), name: 'name', value: v.name, required: true, error: has('name') ? t('app.badName') : undefined })}
${field({ label: t('app.logo'), name: 'logo_url', type: 'url', value: v.logoUrl, hint: t('app.logoHint'), error: has('logo') ? t('app.badLogo') : undefined })}
${textarea({ label: t('app.redirects'), name: 'redirect_uris', value: v.redirectUris, rows: 3, hint: t('app.redirectsHint', { scheme: clientId ? `sc${clientId}://` : 'sc<client id>://' }),
    error: has('redirect') ? (badUris.length ? t('app.badRedirect', { uris: badUris.join(', ') }) : t('app.noRedirect')) : undefined })}
<fieldset><legend>${t('app.defaultScope')}</legend>${has('scope') ? html`<p class="error" role="alert">${t('app.badScope')}</p>` : ''}
<p class="hint">${t('app.defaultScopeHint')}</p><p class="perm-group">${t('app.readPermissions')}</p><div class="checks">${READ_PERMISSIONS.map(perm)}</div>
<p class="perm-group">${t('app.controlPermissions')}</p><div class="checks">${CONTROL_PERMISSIONS.map(perm)}</div></fieldset>
${select({ label: t('app.mode'), name: 'mode', id: 'app-mode', value: v.mode, options: [{ value: 'simulated', label: t('mode.simulated') }, { value: 'test', label: t('mode.test') }, { value: 'live', label: t('mode.live') }],
    hint: html`${t('app.modeHint')}<ul><li>${t('app.modeSimulatedHint')}</li><li>${t('app.modeTestHint')}</li><li>${t('app.modeLiveHint')}</li></ul>` })}
<p><button type="submit" id="save-app">${submit}</button></p></form>`;
}
