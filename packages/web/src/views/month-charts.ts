import { html, type SafeHtml } from '@opencar/ui';

/** One day of the month: requests that billed and requests that did not. */
export interface MonthDay { label: string; billable: number; nonBillable: number }

const W = 720;
const H = 240;
const PAD = { l: 44, r: 12, t: 12, b: 30 };
const innerW = W - PAD.l - PAD.r;
const innerH = H - PAD.t - PAD.b;

/** A round axis maximum at or above `v` (1, 2, 5 × 10ⁿ). */
export function niceMax(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Day labels shown under the axis: the 1st, every 5th and the last day (every bar keeps its own tooltip). */
const labelled = (i: number, n: number) => i === 0 || (i + 1) % 5 === 0 || i === n - 1;

/**
 * Requests per day over the whole billing month (one slot per day, days still to come empty):
 * billable and non-billable requests stacked. Inline SVG with a title and legend; the page also
 * gives the numbers as a table.
 */
export function monthBarChart(id: string, title: string, days: MonthDay[], words: { billable: string; nonBillable: string }): SafeHtml {
  const max = niceMax(Math.max(0, ...days.map((d) => d.billable + d.nonBillable)));
  const step = innerW / Math.max(1, days.length);
  const bw = Math.max(2, step * 0.7);
  const y = (v: number) => PAD.t + innerH - (v / max) * innerH;
  return html`<svg id="${id}" class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">${title}</title>
<line class="grid" x1="${PAD.l}" y1="${y(max / 2)}" x2="${W - PAD.r}" y2="${y(max / 2)}"/>
<text x="${PAD.l - 4}" y="${PAD.t + 8}" text-anchor="end">${max}</text><text x="${PAD.l - 4}" y="${y(max / 2) + 4}" text-anchor="end">${max / 2}</text><text x="${PAD.l - 4}" y="${PAD.t + innerH}" text-anchor="end">0</text>
${days.map((d, i) => {
    const x = PAD.l + i * step + (step - bw) / 2;
    const hb = (d.billable / max) * innerH;
    const hn = (d.nonBillable / max) * innerH;
    return html`<rect class="bar" data-label="${d.label}" data-value="${d.billable}" data-kind="billable" x="${x.toFixed(1)}" y="${(PAD.t + innerH - hb).toFixed(1)}" width="${bw.toFixed(1)}" height="${hb.toFixed(1)}"><title>${d.label}: ${words.billable} ${d.billable}</title></rect>
<rect class="bar free" data-label="${d.label}" data-value="${d.nonBillable}" data-kind="non-billable" x="${x.toFixed(1)}" y="${(PAD.t + innerH - hb - hn).toFixed(1)}" width="${bw.toFixed(1)}" height="${hn.toFixed(1)}"><title>${d.label}: ${words.nonBillable} ${d.nonBillable}</title></rect>
<line class="tick" x1="${(x + bw / 2).toFixed(1)}" y1="${PAD.t + innerH}" x2="${(x + bw / 2).toFixed(1)}" y2="${PAD.t + innerH + 3}"/>
${labelled(i, days.length) ? html`<text class="day" x="${(x + bw / 2).toFixed(1)}" y="${H - PAD.b + 16}" text-anchor="middle">${d.label}</text>` : ''}`;
  })}
<line class="axis" x1="${PAD.l}" y1="${PAD.t + innerH}" x2="${W - PAD.r}" y2="${PAD.t + innerH}"/></svg>
<p class="legend"><span class="key billable"></span> ${words.billable} <span class="key free"></span> ${words.nonBillable}</p>`;
}

/**
 * Billable units so far this month, day by day (a running total over the whole month's axis),
 * against the plan's monthly quota drawn as a dashed line; no line when the plan has no quota.
 */
export function quotaChart(id: string, title: string, labels: string[], cumulative: number[], quota: number | null, words: { used: string; quota: string }): SafeHtml {
  const top = Math.max(0, ...cumulative);
  const max = niceMax(quota ? Math.max(top, quota * 1.1) : top);
  const step = innerW / Math.max(1, labels.length);
  const x = (i: number) => PAD.l + i * step + step / 2;
  const y = (v: number) => PAD.t + innerH - (v / max) * innerH;
  const points = cumulative.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return html`<svg id="${id}" class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">${title}</title>
<text x="${PAD.l - 4}" y="${PAD.t + 8}" text-anchor="end">${max}</text><text x="${PAD.l - 4}" y="${PAD.t + innerH}" text-anchor="end">0</text>
${labels.map((l, i) => (labelled(i, labels.length) ? html`<text class="day" x="${x(i).toFixed(1)}" y="${H - PAD.b + 16}" text-anchor="middle">${l}</text>` : ''))}
${quota ? html`<line class="quota" id="${id}-quota" data-value="${quota}" x1="${PAD.l}" y1="${y(quota).toFixed(1)}" x2="${W - PAD.r}" y2="${y(quota).toFixed(1)}"/><text class="quota-label" x="${W - PAD.r}" y="${(y(quota) - 4).toFixed(1)}" text-anchor="end">${words.quota}</text>` : ''}
${cumulative.length ? html`<polyline class="used" id="${id}-used" data-value="${cumulative[cumulative.length - 1]}" points="${points}"/>` : ''}
${cumulative.map((v, i) => html`<circle class="used" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5"><title>${labels[i]}: ${words.used} ${v}</title></circle>`)}
<line class="axis" x1="${PAD.l}" y1="${PAD.t + innerH}" x2="${W - PAD.r}" y2="${PAD.t + innerH}"/></svg>`;
}
