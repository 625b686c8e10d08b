/** Labels of one tally, as the metrics show them. */
export interface TallyLabels { route: string; method: string; status: string }

/** Requests of one (route, method, status): plain numbers, updated per request, read at scrape time. */
export interface Tally {
  readonly labels: TallyLabels;
  count: number;
  /** Latency sum, seconds. */
  sum: number;
  /** Requests per latency bucket (not cumulative); the last slot counts those above every bound. */
  readonly buckets: Float64Array;
}

/**
 * Request counts and latencies per route, method and status kept as plain counters: a request costs
 * three map lookups and a few additions (no label object, no hashing, no prom-client call); the
 * metrics are built from the tallies when they are scraped.
 */
export class RequestTallies {
  private readonly routes = new Map<string, Map<string, Map<number, Tally>>>();
  private readonly all: Tally[] = [];

  /** `bounds`: the latency buckets' upper bounds in seconds, ascending. */
  constructor(readonly bounds: readonly number[]) {}

  add(route: string, method: string, status: number, seconds: number): void {
    const t = this.tally(route, method, status);
    t.count++;
    t.sum += seconds;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && seconds > b[i]!) i++;
    t.buckets[i]!++;
  }

  /** Every tally so far, in order of first use. */
  tallies(): readonly Tally[] { return this.all; }

  private tally(route: string, method: string, status: number): Tally {
    let byMethod = this.routes.get(route);
    if (!byMethod) { byMethod = new Map(); this.routes.set(route, byMethod); }
    let byStatus = byMethod.get(method);
    if (!byStatus) { byStatus = new Map(); byMethod.set(method, byStatus); }
    let t = byStatus.get(status);
    if (!t) {
      t = { labels: { route, method, status: String(status) }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length + 1) };
      byStatus.set(status, t);
      this.all.push(t);
    }
    return t;
  }
}
