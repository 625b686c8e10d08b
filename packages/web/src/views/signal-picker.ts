import { html, type SafeHtml } from '@opencar/ui';
import { TRIGGER_OPS, type SignalChoice } from '@opencar/webhooks';
import type { Translate } from '../i18n/index.js';
import { groupLabel, readable, signalGroups } from '../dashboard/integration-shared.js';
import type { TypedCondition } from '../dashboard/integration-input.js';

export interface PickerOptions {
  t: Translate;
  choices: readonly SignalChoice[];
  triggers: readonly string[];
  signals: readonly string[];
  /** Signals the app's plan lets it put into webhooks; undefined: every signal. */
  allowed: ReadonlySet<string> | undefined;
  triggersError?: string;
  signalsError?: string;
}

const groupId = (group: string) => group.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/**
 * The trigger and data-signal picker: every signal of the catalogue, grouped by signal group (a
 * disclosure each, open when something in it is picked), one row per signal with a "trigger" and a
 * "data" checkbox. Signals the plan leaves out are marked (the service refuses them).
 */
export function signalPicker(o: PickerOptions): SafeHtml {
  const { t } = o;
  const err = o.triggersError || o.signalsError;
  return html`<fieldset class="signal-picker" id="signal-picker" aria-describedby="picker-hint${err ? ' picker-err' : ''}"><legend>${t('integ.picker')}</legend>
<p id="picker-hint" class="hint">${t('integ.pickerHint')}</p>
${err ? html`<p id="picker-err" class="error">${[o.triggersError ? `${t('integ.triggers')}: ${o.triggersError}` : '', o.signalsError ? `${t('integ.signals')}: ${o.signalsError}` : ''].filter(Boolean).join(' · ')}</p>` : ''}
${signalGroups(o.choices).map(({ group, signals }) => {
    const gid = groupId(group);
    const picked = signals.filter((c) => o.triggers.includes(c.code) || o.signals.includes(c.code)).length;
    return html`<details class="sig-group" id="group-${gid}"${picked ? html` open` : ''}><summary>${groupLabel(t, group)} <span class="muted">(${signals.length === 1 ? t('integ.groupSizeOne') : t('integ.groupSize', { n: signals.length })})</span></summary>
<div class="table-wrap"><table class="signals"><thead><tr><th scope="col" id="h-sig-${gid}">${t('integ.signal')}</th><th scope="col" id="h-trg-${gid}">${t('integ.trigger')}</th><th scope="col" id="h-dat-${gid}">${t('integ.data')}</th></tr></thead><tbody>
${signals.map((c) => html`<tr><th scope="row" id="l-${c.code}">${readable(c.name)}<code>${c.code}</code>${o.allowed && !o.allowed.has(c.code) ? html`<span class="badge warn not-in-plan">${t('integ.notInPlan')}</span>` : ''}</th>
<td><input type="checkbox" name="trigger" value="${c.code}" id="trigger-${c.code}" aria-labelledby="h-trg-${gid} l-${c.code}"${o.triggers.includes(c.code) ? html` checked` : ''}></td>
<td><input type="checkbox" name="signal" value="${c.code}" id="signal-${c.code}" aria-labelledby="h-dat-${gid} l-${c.code}"${o.signals.includes(c.code) ? html` checked` : ''}></td></tr>`)}
</tbody></table></div></details>`;
  })}
</fieldset>`;
}

/** The words of an operator in the condition rows. */
export function opLabel(t: Translate, op: string): string {
  return op === '<' ? t('integ.op.below') : op === '>' ? t('integ.op.above') : op === '=' ? t('integ.op.equals') : op === 'changed' ? t('integ.op.changed') : op;
}

/**
 * Condition triggers: one row per condition (signal, operator, threshold, cooldown) and one empty
 * row to add another; a row whose signal is left empty is not a condition.
 */
export function conditionRows(t: Translate, choices: readonly SignalChoice[], rows: readonly TypedCondition[], errors: readonly (string | undefined)[], max: number): SafeHtml {
  const shown = [...rows, { code: '', op: '<', value: '', cooldown: '' }].slice(0, max);
  const groups = signalGroups(choices);
  return html`<fieldset class="conditions" id="conditions" aria-describedby="conditions-hint"><legend>${t('integ.conditions')}</legend>
<p id="conditions-hint" class="hint">${t('integ.conditionsHint')}</p>
${shown.map((c, i) => {
    const id = `cond-${i}`;
    const error = errors[i];
    const described = error ? html` aria-describedby="${id}-err"` : '';
    const invalid = error ? html` aria-invalid="true"` : '';
    return html`<div class="cond-row" id="${id}">
<div class="field"><label for="${id}-code">${t('integ.signal')}</label><select id="${id}-code" name="${id}-code"${described}${invalid}><option value="">${t('integ.noCondition')}</option>
${groups.map(({ group, signals }) => html`<optgroup label="${groupLabel(t, group)}">${signals.map((s) => html`<option value="${s.code}"${s.code === c.code ? html` selected` : ''}>${readable(s.name)} (${s.code})</option>`)}</optgroup>`)}
${c.code && !choices.some((s) => s.code === c.code) ? html`<option value="${c.code}" selected>${c.code}</option>` : ''}</select></div>
<div class="field"><label for="${id}-op">${t('integ.operator')}</label><select id="${id}-op" name="${id}-op">
${[...TRIGGER_OPS, ...((TRIGGER_OPS as readonly string[]).includes(c.op) ? [] : [c.op])].map((op) => html`<option value="${op}"${op === c.op ? html` selected` : ''}>${opLabel(t, op)}</option>`)}</select></div>
<div class="field"><label for="${id}-value">${t('integ.threshold')}</label><input id="${id}-value" name="${id}-value" value="${c.value}" class="w9" aria-describedby="${id}-value-hint"><small id="${id}-value-hint" class="hint">${t('integ.thresholdHint')}</small></div>
<div class="field"><label for="${id}-cooldown">${t('integ.cooldown')}</label><input id="${id}-cooldown" name="${id}-cooldown" value="${c.cooldown}" inputmode="numeric" class="w9" aria-describedby="${id}-cooldown-hint"><small id="${id}-cooldown-hint" class="hint">${t('integ.cooldownHint')}</small></div>
${error ? html`<small id="${id}-err" class="error cond-error">${error}</small>` : ''}</div>`;
  })}
</fieldset>`;
}
