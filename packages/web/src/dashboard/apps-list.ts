import type { FastifyInstance } from 'fastify';
import { html } from '@opencar/ui';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf } from '../http/context.js';
import { alert, secretBox } from '../views/components.js';
import { copyWords } from '../views/copy.js';
import { parseSettings, type IssuedCredentials } from '../services/apps.js';
import { developer, devPage, requireDeveloper } from './guard.js';
import { appForm, settingsFromForm } from './app-form.js';
import { DEFAULT_NEW_SCOPE, modeLabel } from './defaults.js';

const tags = ['Dashboard'];

/** The app list (dashboard home), the new-app form and app creation (credentials shown once). */
export function appsListRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);

    app.get('/dashboard', { schema: { tags, summary: 'Applications of the signed-in developer' }, preHandler }, async (req, reply) => {
      const { t } = ctx(req);
      const dev = developer(req);
      const apps = await s.apps.list(dev.id);
      const welcome = (req.query as Record<string, string>).welcome === '1';
      return devPage(req, reply, t('apps.title'), html`${welcome ? alert('ok', t('apps.welcome', { name: dev.name })) : ''}
<h1>${t('apps.title')}</h1><p><a class="button" href="/dashboard/apps/new" id="new-app">${t('apps.new')}</a></p>
${apps.length === 0 ? html`<p class="muted">${t('apps.none')}</p>` : html`<div class="grid">${apps.map((a) => appCard(req, a))}</div>`}`);
    });

    app.get('/dashboard/apps/new', { schema: { tags, summary: 'New application form' }, preHandler, config: { role: 'developer' } }, async (req, reply) => {
      const { t } = ctx(req);
      return devPage(req, reply, t('apps.new'), html`<h1>${t('apps.new')}</h1>
${appForm(req, '/dashboard/apps', { name: '', logoUrl: '', redirectUris: '', defaultScope: DEFAULT_NEW_SCOPE, mode: 'simulated' }, [], [], t('apps.create'))}`);
    });

    app.post('/dashboard/apps', { schema: { tags, summary: 'Create an application' }, preHandler }, async (req, reply) => {
      const { t } = ctx(req);
      const settings = settingsFromForm(formOf(req));
      const clientId = s.apps.newClientId();
      const parsed = parseSettings(settings, clientId);
      if (!parsed.ok) {
        return devPage(req, reply, t('apps.new'), html`<h1>${t('apps.new')}</h1>${appForm(req, '/dashboard/apps', settings, parsed.problems, parsed.badUris, t('apps.create'))}`, { status: 400 });
      }
      const { app: created, credentials } = await s.apps.create(developer(req).id, clientId, parsed.value);
      return devPage(req, reply, t('apps.created'), html`<h1>${t('apps.created')}</h1>${credentialsCard(req, credentials)}
<p><a class="button" href="/dashboard/apps/${created.id}" id="open-app">${t('apps.openSettings')}</a></p>`, { status: 201 });
    });
  };
}

function appCard(req: Parameters<typeof ctx>[0], a: App) {
  const { t } = ctx(req);
  return html`<section class="card app-card"><h2>${a.logoUrl ? html`<img class="logo" src="${a.logoUrl}" alt="">` : ''} <a href="/dashboard/apps/${a.id}">${a.name}</a></h2>
<dl class="kv"><dt>${t('app.clientId')}</dt><dd><code>${a.id}</code></dd><dt>${t('app.mode')}</dt><dd><span class="badge">${modeLabel(t, a.mode)}</span></dd></dl></section>`;
}

/** Client id, secret and management token, shown once right after they are issued. */
export function credentialsCard(req: Parameters<typeof ctx>[0], c: Partial<IssuedCredentials>) {
  const { t } = ctx(req);
  const w = (what: string) => copyWords(t, what);
  return html`<section class="card">${alert('info', t('apps.shownOnce'))}
${c.clientId ? secretBox(t('app.clientId'), c.clientId, 'client-id', w(t('app.clientId'))) : ''}
${c.clientSecret ? secretBox(t('app.clientSecret'), c.clientSecret, 'client-secret', w(t('app.clientSecret'))) : ''}
${c.amt ? secretBox(t('app.amt'), c.amt, 'amt', w(t('app.amt'))) : ''}
${c.v3ClientId ? secretBox(t('app.v3ClientId'), c.v3ClientId, 'v3-client-id', w(t('app.v3ClientId'))) : ''}
${c.v3ClientSecret ? secretBox(t('app.v3ClientSecret'), c.v3ClientSecret, 'v3-client-secret', w(t('app.v3ClientSecret'))) : ''}</section>`;
}
