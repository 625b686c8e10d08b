import type { FastifyReply } from 'fastify';
import { html, page, raw, type SafeHtml } from '@opencar/ui';
import { LANGS, LANG_NAMES, type Lang, type Translate } from '../i18n/index.js';
import { ASSET_VERSION } from '../assets/index.js';
import { csrfInput } from './components.js';

export interface ShellOptions {
  lang: Lang;
  t: Translate;
  title: string;
  area: 'dashboard' | 'account' | 'site';
  body: SafeHtml;
  /** Signed-in identity shown in the header (with a sign-out button when csrf is given). */
  who?: string;
  csrf?: string;
  /** Current path (for the language switcher) */
  path: string;
  nav?: SafeHtml;
  status?: number;
}

const HEAD = raw(`<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/web-assets/app.css?v=${ASSET_VERSION}"><script src="/web-assets/app.js?v=${ASSET_VERSION}" defer></script>`);

/** The frame of every dashboard and owner-portal page. */
export function shell(o: ShellOptions): string {
  const { t } = o;
  const home = o.area === 'dashboard' ? '/dashboard' : o.area === 'account' ? '/account' : '/';
  const areaName = o.area === 'dashboard' ? t('dashboard.name') : o.area === 'account' ? t('account.name') : '';
  const body = html`<a class="skip" href="#main">${t('common.skip')}</a>
<header class="top"><div class="bar"><a class="brand" href="${home}">opencar${areaName ? html` <span>${areaName}</span>` : ''}</a>
<form method="get" action="${o.path}" class="lang-form"><label for="lang-switch" class="sr">${t('common.language')}</label>
<select id="lang-switch" name="lang" data-autosubmit>${LANGS.map((l) => html`<option value="${l}"${l === o.lang ? html` selected` : ''}>${LANG_NAMES[l]}</option>`)}</select>
<noscript><button type="submit" class="secondary">${t('common.apply')}</button></noscript></form>
${o.who ? html`<span class="who">${o.who}</span>` : ''}
${o.who && o.csrf ? html`<form method="post" action="${home}/signout" class="inline">${csrfInput(o.csrf)}<button type="submit" class="secondary" id="sign-out">${t('common.signOut')}</button></form>` : ''}
</div>${o.nav ? html`<nav aria-label="${t('common.mainNav')}" class="nav">${o.nav}</nav>` : ''}</header>
<main id="main" tabindex="-1">${o.body}</main>
<footer class="foot"><a href="/">opencar</a> · <a href="/docs">${t('common.docs')}</a> · <a href="/docs/api">${t('common.apiDocs')}</a> · <a href="/docs/errors">${t('common.errorDocs')}</a></footer>`;
  return page({ title: `${o.title} — opencar`, lang: o.lang, body, head: HEAD });
}

export function sendPage(reply: FastifyReply, o: ShellOptions): FastifyReply {
  return reply.code(o.status ?? 200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(shell(o));
}

export function navLinks(items: { href: string; label: string; current: boolean }[]): SafeHtml {
  return html`<ul>${items.map((i) => html`<li><a href="${i.href}"${i.current ? html` aria-current="page"` : ''}>${i.label}</a></li>`)}</ul>`;
}
