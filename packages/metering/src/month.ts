/** The last month computed, with its bounds: nearly every call (one per request) falls in it. */
let last = { from: 0, to: -1, month: '' };

/** Billing months are calendar months in UTC, written `YYYY-MM`. */
export function monthOf(ms: number): string {
  if (ms >= last.from && ms < last.to) return last.month;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const month = `${y}-${String(m + 1).padStart(2, '0')}`;
  last = { from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1), month };
  return month;
}

export function isMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

/** First millisecond of the month. */
export function monthStart(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m - 1, 1);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthOf(Date.UTC(y, m, 1));
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthOf(Date.UTC(y, m - 2, 1));
}
