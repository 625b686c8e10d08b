/** Scheduled-webhook cadences: hourly, daily, weekly, monthly (calendar, UTC) or `<n>m` minutes (1–1440). */
export function isCadence(c: string): boolean {
  if (['hourly', 'daily', 'weekly', 'monthly'].includes(c)) return true;
  const m = /^(\d{1,4})m$/.exec(c);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 1440;
}

/** `anchor`'s day and time of day in month `m` of year `y`, clamped to the month's last day. */
function inMonth(y: number, m: number, anchor: number): number {
  const a = new Date(anchor);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(a.getUTCDate(), last), a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds(), a.getUTCMilliseconds());
}

/** The run after `from`. Monthly runs fall on `anchor`'s day of month (the last day in shorter months). */
export function nextRun(cadence: string, from: number, anchor: number = from): number {
  switch (cadence) {
    case 'hourly': return from + 3_600_000;
    case 'daily': return from + 86_400_000;
    case 'weekly': return from + 7 * 86_400_000;
    case 'monthly': {
      const d = new Date(from);
      return inMonth(d.getUTCFullYear(), d.getUTCMonth() + 1, anchor);
    }
    default: return from + Number(cadence.slice(0, -1)) * 60_000;
  }
}

/** First run strictly after `now`, skipping runs missed while the server was down. */
export function nextRunAfter(cadence: string, from: number, now: number, anchor: number = from): number {
  let t = nextRun(cadence, from, anchor);
  for (let i = 0; t <= now && i < 100_000; i++) t = nextRun(cadence, t, anchor);
  return t <= now ? nextRun(cadence, now, anchor) : t;
}
