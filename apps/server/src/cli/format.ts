/** Human output: aligned columns and key/value blocks; --json prints the operation's result instead. */
export function table(headers: string[], rows: (string | number)[][]): string {
  if (rows.length === 0) return '(none)';
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function fields(pairs: [string, unknown][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${show(v)}`).join('\n');
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return 'unlimited';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(none)';
  if (typeof v === 'object') {
    const b = v as { capacity?: number; refillPerMinute?: number };
    if (b.capacity !== undefined) return `${b.capacity} requests, refilled ${b.refillPerMinute}/min`;
    return JSON.stringify(v);
  }
  return String(v);
}
