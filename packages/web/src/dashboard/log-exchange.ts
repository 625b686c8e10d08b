import { html, type SafeHtml } from '@opencar/ui';
import type { RequestDetailRow } from '@opencar/storage';
import type { Translate } from '../i18n/index.js';
import { copyButton } from '../views/components.js';
import { copyWords } from '../views/copy.js';

const headerText = (json: string) => {
  let h: Record<string, string> = {};
  try { h = JSON.parse(json) as Record<string, string>; } catch { /* stored by us as JSON; nothing to show otherwise */ }
  return Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');
};

/** One copyable block (headers or a body) with its title. */
function block(t: Translate, id: string, title: string, text: string, note?: string): SafeHtml {
  return html`<div class="snippet"><div class="snippet-head"><h3 id="${id}-title">${title}</h3>${copyButton(id, copyWords(t, title))}</div>
${note ? html`<p class="muted" id="${id}-note">${note}</p>` : ''}<pre id="${id}" tabindex="0" aria-labelledby="${id}-title">${text}</pre></div>`;
}

function body(t: Translate, id: string, title: string, value: string | null, bytes: number, truncated: number): SafeHtml {
  if (value === null) return html`<h3>${title}</h3><p class="muted" id="${id}-none">${t('logs.noBody')}</p>`;
  return block(t, id, title, value, truncated ? t('logs.truncated', { kept: Buffer.byteLength(value), bytes }) : undefined);
}

/**
 * The request as received and the response as sent: request line, headers and body, status,
 * headers and body (secrets masked and bodies capped when they were stored), each copyable.
 */
export function exchangeSection(t: Translate, d: RequestDetailRow | undefined, retentionDays: number): SafeHtml {
  if (!d) {
    return html`<section class="card" id="request-exchange"><h2>${t('logs.exchange')}</h2><p class="muted" id="exchange-none">${retentionDays > 0 ? t('logs.noDetail', { days: retentionDays }) : t('logs.detailOff')}</p></section>`;
  }
  const line = `${d.method} ${d.path}${d.query ? `?${d.query}` : ''}`;
  return html`<section class="card" id="request-exchange"><h2>${t('logs.request')}</h2>
${block(t, 'request-line', t('logs.requestLine'), line)}
${block(t, 'request-headers', t('logs.requestHeaders'), headerText(d.request_headers))}
${body(t, 'request-body', t('logs.requestBody'), d.request_body, d.request_body_bytes, d.request_body_truncated)}
<h2>${t('logs.response')}</h2><p>${t('logs.status')}: <span class="badge ${d.response_status < 400 ? 'ok' : d.response_status < 500 ? 'warn' : 'bad'}" id="response-status">${d.response_status}</span></p>
${block(t, 'response-headers', t('logs.responseHeaders'), headerText(d.response_headers))}
${body(t, 'response-body', t('logs.responseBody'), d.response_body, d.response_body_bytes, d.response_body_truncated)}
<p class="muted">${t('logs.masked', { days: retentionDays })}</p></section>`;
}
