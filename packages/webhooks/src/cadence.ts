/** Scheduled-webhook cadences: hourly, daily, weekly, monthly (calendar, UTC) or `<n>m` minutes (1–1440). */
export function isCadence(c: string): boolean {
  if (['hourly', 'daily', 'weekly', 'monthly'].includes(c)) return true;
  const m = /^(\d{1,4})m$/.exec(c);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 1440;
}

/** The run after `from`. */
export function nextRun(cadence: string, from: number): number {
  switch (cadence) {
    case 'hourly': return from + 3_600_000;
    case 'daily': return from + 86_400_000;
    case 'weekly': return from + 7 * 86_400_000;
    case 'monthly': {
      const d = new Date(from);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
    }
    default: return from + Number(cadence.slice(0, -1)) * 60_000;
  }
}

/** First run strictly after `now`, skipping runs missed while the server was down. */
export function nextRunAfter(cadence: string, from: number, now: number): number {
  let t = nextRun(cadence, from);
  for (let i = 0; t <= now && i < 100_000; i++) t = nextRun(cadence, t);
  return t <= now ? nextRun(cadence, now) : t;
}
