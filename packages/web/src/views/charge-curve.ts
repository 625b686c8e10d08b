import { html, type SafeHtml } from '@opencar/ui';

/** One point of a charge curve: time (epoch ms), state of charge (0–1) and power (kW). */
export interface CurvePoint { atMs: number; soc: number; powerKw: number }

export interface CurveLabels { title: string; soc: string; power: string; time: (ms: number) => string }

/**
 * A charging session's curve as inline SVG, rendered on the server: state of charge (0–100 %, left
 * axis) and power (kW, right axis) over time. The points also carry data attributes for tests and
 * a title each for screen readers and pointer hover.
 */
export function chargeCurve(id: string, points: CurvePoint[], l: CurveLabels): SafeHtml {
  const width = 480;
  const height = 200;
  const pad = { l: 40, r: 48, t: 12, b: 30 };
  const iw = width - pad.l - pad.r;
  const ih = height - pad.t - pad.b;
  const t0 = points[0]?.atMs ?? 0;
  const t1 = Math.max(t0 + 1, points[points.length - 1]?.atMs ?? 1);
  const maxKw = Math.max(1, ...points.map((p) => p.powerKw));
  const x = (t: number) => (pad.l + ((t - t0) / (t1 - t0)) * iw).toFixed(1);
  const ySoc = (s: number) => (pad.t + ih - s * ih).toFixed(1);
  const yKw = (k: number) => (pad.t + ih - (k / maxKw) * ih).toFixed(1);
  const line = (f: (p: CurvePoint) => string) => points.map((p) => `${x(p.atMs)},${f(p)}`).join(' ');
  return html`<svg id="${id}" class="chart curve" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title" data-points="${points.length}">
<title id="${id}-title">${l.title}</title>
<line class="axis" x1="${pad.l}" y1="${pad.t + ih}" x2="${pad.l + iw}" y2="${pad.t + ih}"/><line class="axis" x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${pad.t + ih}"/><line class="axis" x1="${pad.l + iw}" y1="${pad.t}" x2="${pad.l + iw}" y2="${pad.t + ih}"/>
<text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">100 %</text><text x="${pad.l - 4}" y="${pad.t + ih}" text-anchor="end">0</text>
<text x="${pad.l + iw + 4}" y="${pad.t + 8}">${Math.round(maxKw)} kW</text><text x="${pad.l + iw + 4}" y="${pad.t + ih}">0</text>
<text x="${pad.l}" y="${height - 8}">${l.time(t0)}</text><text x="${pad.l + iw}" y="${height - 8}" text-anchor="end">${l.time(t1)}</text>
<polyline class="soc-line" fill="none" points="${line((p) => ySoc(p.soc))}"/><polyline class="kw-line" fill="none" points="${line((p) => yKw(p.powerKw))}"/>
${points.map((p) => html`<circle class="soc-point" cx="${x(p.atMs)}" cy="${ySoc(p.soc)}" r="2" data-soc="${p.soc}" data-kw="${p.powerKw}"><title>${l.time(p.atMs)}: ${l.soc} ${Math.round(p.soc * 1000) / 10} %, ${l.power} ${p.powerKw} kW</title></circle>`)}
</svg>`;
}
