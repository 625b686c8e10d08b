import { html, type SafeHtml } from '@opencar/ui';

export interface FieldOptions {
  label: string;
  name: string;
  type?: string;
  value?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  error?: string;
  placeholder?: string;
  minlength?: number;
}

let fieldSeq = 0;

/** A labelled input; hints and errors are tied to it with aria-describedby. */
export function field(o: FieldOptions): SafeHtml {
  const id = `f-${o.name}-${++fieldSeq % 100000}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return html`<div class="field"><label for="${id}">${o.label}</label>
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.placeholder ? html` placeholder="${o.placeholder}"` : ''}${o.minlength ? html` minlength="${o.minlength}"` : ''}${described ? html` aria-describedby="${described}"` : ''}${o.error ? html` aria-invalid="true"` : ''}>
${o.hint ? html`<small id="${id}-hint" class="hint">${o.hint}</small>` : ''}${o.error ? html`<small id="${id}-err" class="error">${o.error}</small>` : ''}</div>`;
}

export function textarea(o: FieldOptions & { rows?: number }): SafeHtml {
  const id = `f-${o.name}-${++fieldSeq % 100000}`;
  return html`<div class="field"><label for="${id}">${o.label}</label>
<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 3}"${o.hint ? html` aria-describedby="${id}-hint"` : ''}${o.error ? html` aria-invalid="true"` : ''}>${o.value ?? ''}</textarea>
${o.hint ? html`<small id="${id}-hint" class="hint">${o.hint}</small>` : ''}${o.error ? html`<small class="error" role="alert">${o.error}</small>` : ''}</div>`;
}

export function select(o: { label: string; name: string; value?: string; options: { value: string; label: string }[]; id?: string; hint?: SafeHtml }): SafeHtml {
  const id = o.id ?? `f-${o.name}-${++fieldSeq % 100000}`;
  return html`<div class="field"><label for="${id}">${o.label}</label><select id="${id}" name="${o.name}"${o.hint ? html` aria-describedby="${id}-hint"` : ''}>
${o.options.map((op) => html`<option value="${op.value}"${op.value === o.value ? html` selected` : ''}>${op.label}</option>`)}</select>
${o.hint ? html`<div id="${id}-hint" class="hint">${o.hint}</div>` : ''}</div>`;
}

export const csrfInput = (token: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${token}">`;

export function alert(kind: 'error' | 'ok' | 'info', message: string | SafeHtml): SafeHtml {
  return html`<div class="alert alert-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${message}</div>`;
}

/** A one-button form (POST with CSRF); `confirm` text is asked by app.js before submitting. */
export function postButton(action: string, label: string, csrf: string, o: { danger?: boolean; confirm?: string; fields?: Record<string, string>; id?: string } = {}): SafeHtml {
  return html`<form method="post" action="${action}" class="inline"${o.confirm ? html` data-confirm="${o.confirm}"` : ''}>${csrfInput(csrf)}
${Object.entries(o.fields ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<button type="submit"${o.id ? html` id="${o.id}"` : ''} class="${o.danger ? 'danger' : 'secondary'}">${label}</button></form>`;
}

/** The words of a copy button: its visible label, the label once copied, and what it copies (read by screen readers only). */
export interface CopyWords { copy: string; copied: string; what: string }

/**
 * A button that copies the value of an input or the text of an element (app.js). Its visible label is
 * "Copy" ("Copied" for a moment after a copy); its accessible name also says what it copies
 * ("Copy Client id"). Without JavaScript the value stays selectable.
 */
export function copyButton(targetId: string, w: CopyWords): SafeHtml {
  return html`<button type="button" class="secondary copy" data-copy="${targetId}" data-copied="${w.copied}">${w.copy}<span class="sr"> ${w.what}</span></button>`;
}

/** A secret shown exactly once, with a copy button (app.js) and a plain-text fallback. */
export function secretBox(label: string, value: string, id: string, w: CopyWords): SafeHtml {
  return html`<div class="secret"><label for="${id}">${label}</label><div class="secret-row">
<input id="${id}" readonly value="${value}" class="mono">${copyButton(id, w)}</div></div>`;
}

/** Masks all but the last 4 characters of a VIN. */
export function maskVin(vin: string): string {
  return vin.length <= 4 ? vin : '•'.repeat(vin.length - 4) + vin.slice(-4);
}
