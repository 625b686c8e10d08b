import { html, type SafeHtml } from '@opencar/ui';

export interface Bar { label: string; value: number }

/**
 * A vertical bar chart as inline SVG, rendered on the server: no script, no external resources.
 * `role="img"` with a title; callers also render the numbers as a table for screen readers.
 */
export function barChart(id: string, title: string, bars: Bar[], o: { width?: number; height?: number } = {}): SafeHtml {
  const width = o.width ?? 720;
  const height = o.height ?? 220;
  const pad = { l: 40, r: 8, t: 10, b: 36 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const step = bars.length ? innerW / bars.length : innerW;
  const bw = Math.max(2, step * 0.7);
  const every = Math.max(1, Math.ceil(bars.length / 10));
  return html`<svg id="${id}" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">${title}</title>
<line class="axis" x1="${pad.l}" y1="${pad.t + innerH}" x2="${width - pad.r}" y2="${pad.t + innerH}"/>
<text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${max}</text><text x="${pad.l - 4}" y="${pad.t + innerH}" text-anchor="end">0</text>
${bars.map((b, i) => {
    const h = (b.value / max) * innerH;
    const x = pad.l + i * step + (step - bw) / 2;
    return html`<rect class="bar" data-label="${b.label}" data-value="${b.value}" x="${x.toFixed(1)}" y="${(pad.t + innerH - h).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}"><title>${b.label}: ${b.value}</title></rect>
${i % every === 0 ? html`<text x="${(x + bw / 2).toFixed(1)}" y="${height - pad.b + 14}" text-anchor="middle">${b.label}</text>` : ''}`;
  })}</svg>`;
}

/** Horizontal bars (per-endpoint usage): labels stay readable on a phone. */
export function hBarChart(id: string, title: string, bars: Bar[]): SafeHtml {
  const width = 720;
  const row = 22;
  const labelW = 300;
  const height = Math.max(row, bars.length * row) + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  return html`<svg id="${id}" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">${title}</title>
${bars.map((b, i) => {
    const w = (b.value / max) * (width - labelW - 50);
    const y = 4 + i * row;
    return html`<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${b.label.length > 44 ? b.label.slice(0, 43) + '…' : b.label}</text>
<rect class="bar" data-label="${b.label}" data-value="${b.value}" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}"/><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 14}">${b.value}</text>`;
  })}</svg>`;
}

/**
 * Where a vehicle is, without map tiles (the network may be closed): a lat/lon grid around the
 * position with a marker, the coordinates in text, and an optional trail of earlier positions.
 */
export function positionPlot(id: string, title: string, lat: number, lon: number, trail: { lat: number; lon: number }[] = []): SafeHtml {
  const size = 300;
  const span = 0.02; // degrees shown across the plot (~2 km)
  const px = (v: number, c: number) => size / 2 + ((v - c) / span) * size;
  const grid = [0.25, 0.5, 0.75].map((f) => f * size);
  return html`<svg id="${id}" class="map" viewBox="0 0 ${size} ${size}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">${title}</title>
${grid.map((g) => html`<line x1="${g}" y1="0" x2="${g}" y2="${size}" stroke="#c5d3df"/><line x1="0" y1="${g}" x2="${size}" y2="${g}" stroke="#c5d3df"/>`)}
${trail.length > 1 ? html`<polyline fill="none" stroke="#5b7083" stroke-width="2" points="${trail.map((p) => `${px(p.lon, lon).toFixed(1)},${(size - px(p.lat, lat)).toFixed(1)}`).join(' ')}"/>` : ''}
<circle cx="${size / 2}" cy="${size / 2}" r="9" fill="#b00020" stroke="#fff" stroke-width="3"/>
<text x="6" y="${size - 8}" font-size="12" fill="#102a43">${lat.toFixed(5)}, ${lon.toFixed(5)}</text>
<text x="${size - 6}" y="16" text-anchor="end" font-size="12" fill="#102a43">N ↑</text></svg>`;
}
