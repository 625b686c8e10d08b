import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@opencar/ui';
import { isApiError } from '@opencar/core';
import type { App } from '@opencar/storage';
import type { WebServices } from '../services.js';
import { ctx, formOf, redirect } from '../http/context.js';
import { alert, csrfInput, field } from '../views/components.js';
import { conditionRows, signalPicker } from '../views/signal-picker.js';
import { appTabs, devPage, ownedApp, requireDeveloper } from './guard.js';
import { detailPage } from './integration-detail.js';
import { guarded, integrationId, integrationsOf, integrationsPath } from './integration-shared.js';
import { EMPTY_FORM, formErrors, hasErrors, inputOf, MAX_CONDITIONS, readIntegrationForm, typedOf, type FormErrors, type TypedIntegration } from './integration-input.js';

const tags = ['Dashboard'];

type Problem = { field: string; message: string };
const problemsOf = (detail: unknown[] | undefined): Problem[] =>
  (detail ?? []).filter((d): d is Problem => typeof d === 'object' && d !== null && typeof (d as Problem).field === 'string' && typeof (d as Problem).message === 'string');

/**
 * The integration form, to create one (sending VERIFY; a receiver that does not answer it keeps
 * nothing) and to edit one. A refused form comes back with everything typed and the service's
 * reasons beside the fields they concern.
 */
export function integrationFormRoutes(s: WebServices) {
  return async (app: FastifyInstance) => {
    const preHandler = requireDeveloper(s);
    const base = '/dashboard/apps/:appId/integrations';

    app.get(`${base}/new`, { schema: { tags, summary: 'Form for a new API v3 integration' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      return formPage(req, reply, a, undefined, EMPTY_FORM);
    });

    app.post(base, { schema: { tags, summary: 'Create an API v3 integration (sends VERIFY)' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const svc = integrationsOf(s);
      const typed = readIntegrationForm(formOf(req));
      try {
        const created = await svc.create(a.id, inputOf(typed));
        if (created.verification.verified) return redirect(reply, integrationsPath(a, `/${created.id}?created=1`));
        // A receiver that does not answer VERIFY is not kept: the form comes back with what was typed.
        await svc.remove(a.id, created.id);
        return formPage(req, reply, a, undefined, typed, undefined, ctx(req).t('integ.notVerified', { error: created.verification.error ?? '' }), 400);
      } catch (err) {
        const refused = refusal(req, typed, err);
        if (refused) return formPage(req, reply, a, undefined, typed, refused.errors, refused.notice, 400);
        throw err;
      }
    });

    app.get(`${base}/:integrationId/edit`, { schema: { tags, summary: 'Form to change an API v3 integration' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const id = integrationId(req);
      const i = await guarded(() => integrationsOf(s).get(a.id, id));
      return formPage(req, reply, a, id, typedOf(i));
    });

    app.post(`${base}/:integrationId`, { schema: { tags, summary: 'Change an API v3 integration (a new callback URI is verified again)' }, preHandler }, async (req, reply) => {
      const a = await ownedApp(s, req);
      const id = integrationId(req);
      const svc = integrationsOf(s);
      await guarded(() => svc.get(a.id, id));
      const typed = readIntegrationForm(formOf(req));
      try {
        const updated = await guarded(() => svc.update(a.id, id, inputOf(typed)));
        if (updated.verification && !updated.verification.verified) {
          // Saved, but the new address did not answer: the integration is unverified and disabled until it does.
          return detailPage(s, req, reply, a, id, alert('error', ctx(req).t('integ.movedNotVerified', { error: updated.verification.error ?? '' })));
        }
        return redirect(reply, integrationsPath(a, `/${id}?updated=${updated.verification ? 'verified' : '1'}`));
      } catch (err) {
        const refused = refusal(req, typed, err);
        if (refused) return formPage(req, reply, a, id, typed, refused.errors, refused.notice, 400);
        throw err;
      }
    });
  };

  /** The service's refusal as form errors and a notice (a plan refusal links the plan page); undefined for other failures. */
  function refusal(req: FastifyRequest, typed: TypedIntegration, err: unknown): { errors: FormErrors; notice: SafeHtml | string } | undefined {
    if (!isApiError(err)) return undefined;
    const { t } = ctx(req);
    if (err.type === 'BILLING') return { errors: { conditions: [], other: [] }, notice: html`${err.description} <a href="/dashboard/plans" id="see-plans">${t('plans.seePlans')}</a>` };
    if (err.statusCode !== 400) return undefined;
    const errors = formErrors(typed, problemsOf(err.detail));
    return { errors, notice: hasErrors(errors) ? t('integ.fixFields') : err.description };
  }

  async function formPage(req: FastifyRequest, reply: FastifyReply, a: App, id: string | undefined, v: TypedIntegration, errors: FormErrors = { conditions: [], other: [] }, notice?: SafeHtml | string, status = 200) {
    const { t, csrf } = ctx(req);
    const svc = integrationsOf(s);
    const allowed = (await s.deps.metering?.limitsFor(a.id))?.webhookSignals ?? undefined;
    const title = id ? t('integ.edit') : t('integ.new');
    const seconds = Math.ceil(s.deps.config.webhookTimeoutMs / 1000);
    const action = id ? integrationsPath(a, `/${encodeURIComponent(id)}`) : integrationsPath(a);
    const back = id ? integrationsPath(a, `/${encodeURIComponent(id)}`) : integrationsPath(a);
    return devPage(req, reply, title, html`${notice ? alert('error', notice) : ''}
${errors.other.length ? html`<ul class="error" id="other-errors">${errors.other.map((m) => html`<li>${m}</li>`)}</ul>` : ''}
<h1>${a.name}: ${title}</h1><p><a href="${back}">${t('common.back')}</a></p>
${allowed ? html`<p class="alert alert-info" id="plan-note">${t('integ.planNote', { n: allowed.size })} <a href="/dashboard/plans" id="plan-link">${t('plans.seePlans')}</a></p>` : ''}
<form method="post" action="${action}" class="card integration-form" id="integration-form" data-busy="${t('hooks.verifying', { s: seconds })}">${csrfInput(csrf)}
${field({ label: t('field.name'), name: 'name', value: v.name, required: true, ...(errors.name ? { error: errors.name } : {}) })}
${field({ label: t('integ.callbackUri'), name: 'callback_uri', type: 'url', required: true, value: v.callbackUri, hint: t('hooks.urlHint'), ...(errors.callbackUri ? { error: errors.callbackUri } : {}) })}
${field({ label: t('integ.errorCallbackUri'), name: 'error_callback_uri', type: 'url', value: v.errorCallbackUri, hint: t('integ.errorCallbackHint'), ...(errors.errorCallbackUri ? { error: errors.errorCallbackUri } : {}) })}
${signalPicker({ t, choices: svc.signalChoices(), triggers: v.triggers, signals: v.signals, allowed, ...(errors.triggers ? { triggersError: errors.triggers } : {}), ...(errors.signals ? { signalsError: errors.signals } : {}) })}
${conditionRows(t, svc.signalChoices(), v.conditions, errors.conditions, MAX_CONDITIONS)}
<div class="check"><input type="checkbox" id="auto-subscribe" name="auto_subscribe"${v.autoSubscribe ? html` checked` : ''} aria-describedby="auto-subscribe-hint"><label for="auto-subscribe">${t('integ.autoSubscribe')}</label></div>
<small id="auto-subscribe-hint" class="hint">${t('integ.autoSubscribeHint')}</small>
<p class="busy-note" data-busy-note hidden><progress aria-label="${t('integ.verifyingLabel')}"></progress> ${t('hooks.verifying', { s: seconds })}</p>
<div class="actions"><button type="submit" id="save-integration">${id ? t('integ.save') : t('hooks.create')}</button></div></form>`, { nav: appTabs(req, a, 'integrations'), status });
  }
}
