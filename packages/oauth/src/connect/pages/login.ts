import { html } from '@opencar/ui';
import type { Translator } from '../../i18n/index.js';
import type { Flow } from '../flow.js';
import { connectPage, csrfField } from '../layout.js';

export type LoginNotice = { kind: 'failed' } | { kind: 'throttled'; minutes: number } | undefined;

/** Step 3: the brand account sign-in, all three contract elements on one page. */
export function loginPage(flow: Flow, tr: Translator, nonce: string, brandName: string, notice: LoginNotice, username = ''): string {
  const heading = flow.data.kind === 'reauth' ? tr.t('reauthHeading', { app: flow.data.appName }) : tr.t('loginHeading', { brand: brandName });
  const message = notice?.kind === 'failed' ? tr.t('loginFailed') : notice?.kind === 'throttled' ? tr.t('loginThrottled', { minutes: String(notice.minutes) }) : null;
  return connectPage({
    tr, nonce, flow, title: tr.t('loginHeading', { brand: brandName }),
    body: html`<h1>${heading}</h1><p class="muted">${tr.t('loginIntro', { brand: brandName })}</p>
${flow.data.mode === 'test' ? html`<p class="hint">${tr.t('testModeHint')}</p>` : ''}
${message ? html`<p class="notice" role="alert">${message}</p>` : ''}
<form method="post" action="/connect/${flow.id}/login">${csrfField(flow)}
<label for="username">${tr.t('email')}</label><input type="text" id="username" name="username" value="${username}" autocomplete="username" autocapitalize="none" spellcheck="false" required>
<label for="password">${tr.t('password')}</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" id="sign-in-button" class="wide">${tr.t('signIn')}</button></form>`,
  });
}
