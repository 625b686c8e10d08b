import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '@opencar/ui';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect } from '../http/context.js';
import { alert, copyButton, postButton } from '../views/components.js';
import { copyWords } from '../views/copy.js';
import { quickStart } from './quick-start.js';
import { checklist, progressOf, type Step } from './checklist.js';
import { parseSettings, type AppSettings, type IssuedCredentials, type SettingsProblem } from '../services/apps.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { appForm, settingsFromForm } from './app-form.js';
import { credentialsCard } from './apps-list.js';

const tags = ['Dashboard'];

/** App settings, "Try Connect", credential rotation and deletion. */
export function appSettingsRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId';

    app.get(base, { schema: { tags, summary: 'Application settings' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const saved = (req.query as Record<string, string>).saved === '1';
      return settingsPage(req, reply, a, current(a), [], [], saved ? ctx(req).t('app.saved') : undefined, 200, await s.apps.machineClientId(a.id), s.deps.config.publicUrl, await progressOf(s, a));
    });

    app.post(base, { schema: { tags, summary: 'Update application settings' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const settings = settingsFromForm(formOf(req));
      const parsed = parseSettings(settings, a.id);
      if (!parsed.ok) return settingsPage(req, reply, a, settings, parsed.problems, parsed.badUris, undefined, 400, await s.apps.machineClientId(a.id), s.deps.config.publicUrl, await progressOf(s, a));
      await s.apps.update(a.id, parsed.value);
      return redirect(reply, `/dashboard/apps/${a.id}?saved=1`);
    });

    app.post(`${base}/secret`, { schema: { tags, summary: 'Rotate the client secret' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const secret = await s.apps.rotateSecret(a.id);
      return rotated(req, reply, a, { clientId: a.id, clientSecret: secret });
    });

    app.post(`${base}/amt`, { schema: { tags, summary: 'Rotate the application management token' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const amt = await s.apps.rotateAmt(a.id);
      return rotated(req, reply, a, { amt });
    });

    app.post(`${base}/machine-credentials`, { schema: { tags, summary: 'Rotate the v3 machine credentials (client credentials grant)' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const v3 = await s.apps.rotateMachineCredential(a.id);
      return rotated(req, reply, a, { v3ClientId: v3.clientId, v3ClientSecret: v3.clientSecret });
    });

    app.post(`${base}/delete`, { schema: { tags, summary: 'Delete the application (disconnects every vehicle)' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      await s.apps.remove(a.id);
      return redirect(reply, '/dashboard');
    });
  };
}

function current(a: App): AppSettings {
  return { name: a.name, logoUrl: a.logoUrl ?? '', redirectUris: a.redirectUris.join('\n'), defaultScope: a.defaultScope, mode: a.mode };
}

function rotated(req: FastifyRequest, reply: FastifyReply, a: App, creds: Partial<IssuedCredentials>) {
  const { t } = ctx(req);
  return devPage(req, reply, t('app.rotated'), html`<h1>${a.name}: ${t('app.rotated')}</h1>${credentialsCard(req, creds)}
<p><a class="button" href="/dashboard/apps/${a.id}">${t('common.back')}</a></p>`, { nav: appTabs(req, a, 'settings') });
}

function settingsPage(req: FastifyRequest, reply: FastifyReply, a: App, v: AppSettings, problems: SettingsProblem[], badUris: string[], notice: string | undefined, status: number, v3ClientId: string | undefined, publicUrl: string, progress: Record<Step, boolean>) {
  const { t, csrf } = ctx(req);
  const base = `/dashboard/apps/${a.id}`;
  return devPage(req, reply, a.name, html`${notice ? alert('ok', notice) : ''}<h1>${a.logoUrl ? html`<img class="logo" src="${a.logoUrl}" alt="">` : ''} ${a.name}</h1>
${checklist(req, a, progress)}
<section class="card"><h2>${t('app.credentials')}</h2><dl class="kv"><dt>${t('app.clientId')}</dt><dd class="copy-row"><code id="client-id-value">${a.id}</code> ${copyButton('client-id-value', copyWords(t, t('app.clientId')))}</dd>
<dt>${t('app.clientSecret')}</dt><dd class="muted">${t('app.secretHidden')}</dd><dt>${t('app.amt')}</dt><dd class="muted">${t('app.secretHidden')}</dd>
<dt>${t('app.applicationId')}</dt><dd class="copy-row"><code id="application-id-value">${a.id}</code> ${copyButton('application-id-value', copyWords(t, t('app.applicationId')))}</dd>
<dt>${t('app.v3ClientId')}</dt><dd class="copy-row">${v3ClientId ? html`<code id="v3-client-id-value">${v3ClientId}</code> ${copyButton('v3-client-id-value', copyWords(t, t('app.v3ClientId')))}` : html`<span class="muted">${t('app.v3None')}</span>`}</dd>
<dt>${t('app.v3ClientSecret')}</dt><dd class="muted">${t('app.secretHidden')}</dd></dl>
<p class="muted">${t('app.legacyHint')}</p>
<div class="actions">${postButton(`${base}/secret`, t('app.rotateSecret'), csrf, { confirm: t('app.rotateSecretConfirm'), id: 'rotate-secret' })}
${postButton(`${base}/amt`, t('app.rotateAmt'), csrf, { confirm: t('app.rotateAmtConfirm'), id: 'rotate-amt' })}
${postButton(`${base}/machine-credentials`, t('app.rotateV3'), csrf, { confirm: t('app.rotateV3Confirm'), id: 'rotate-v3' })}</div></section>
${quickStart(req, a, publicUrl)}
<section class="card"><h2>${t('app.tryConnect')}</h2><p>${t('app.tryConnectHint')}</p>
<p><a class="button" id="try-connect" href="/dashboard/apps/${a.id}/try-connect">${t('app.tryConnect')}</a></p></section>
<h2>${t('app.settings')}</h2>${appForm(req, base, v, problems, badUris, t('common.save'), a.id)}
<section class="card"><h2>${t('app.danger')}</h2><p>${t('app.deleteHint')}</p>
${postButton(`${base}/delete`, t('app.delete'), csrf, { danger: true, confirm: t('app.deleteConfirm'), id: 'delete-app' })}</section>`, { nav: appTabs(req, a, 'settings'), status });
}
