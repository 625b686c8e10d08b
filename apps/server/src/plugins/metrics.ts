import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics, type HistogramConfiguration } from 'prom-client';
import { RequestTallies } from './request-tallies.js';

const LABEL_NAMES = ['route', 'method', 'status'] as const;
type Label = typeof LABEL_NAMES[number];
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Prometheus metrics at `/metrics`: request count and latency by route, method and status. Each
 * request only adds to plain tallies (RequestTallies); the count is folded into its prom-client
 * counter and the latency histogram is built from the tallies when `/metrics` is scraped.
 */
export function metrics(app: FastifyInstance): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const tallies = new RequestTallies(LATENCY_BUCKETS);
  const folded = new Map<object, number>();
  new Counter({
    name: 'opencar_http_requests_total', help: 'HTTP requests', labelNames: LABEL_NAMES, registers: [registry],
    collect() {
      for (const t of tallies.tallies()) {
        const done = folded.get(t) ?? 0;
        if (t.count > done) { this.inc(t.labels, t.count - done); folded.set(t, t.count); }
      }
    },
  });
  new TalliedHistogram(tallies, {
    name: 'opencar_http_request_duration_seconds', help: 'HTTP request latency', labelNames: LABEL_NAMES, registers: [registry], buckets: LATENCY_BUCKETS,
  });

  app.addHook('onResponse', (req, reply, done) => {
    tallies.add(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}

type HistogramValue = { labels: Partial<Record<Label | 'le', string | number>>; value: number; metricName: string };
type HistogramData = Awaited<ReturnType<Histogram<Label>['get']>>;

/** A prom-client histogram whose values are read from the tallies at scrape time (nothing observed per request). */
class TalliedHistogram extends Histogram<Label> {
  private readonly metricName: string;
  private readonly helpText: string;

  constructor(private readonly tallies: RequestTallies, config: HistogramConfiguration<Label>) {
    super(config);
    this.metricName = config.name;
    this.helpText = config.help;
  }

  /** Values in prom-client's histogram layout: cumulative buckets with `le`, then +Inf, sum and count per label set. */
  override async get(): Promise<HistogramData> {
    const name = this.metricName;
    const values: HistogramValue[] = [];
    const bounds = this.tallies.bounds;
    for (const t of this.tallies.tallies()) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += t.buckets[i]!;
        values.push({ labels: { le: bounds[i]!, ...t.labels }, value: cumulative, metricName: `${name}_bucket` });
      }
      values.push(
        { labels: { le: '+Inf', ...t.labels }, value: t.count, metricName: `${name}_bucket` },
        { labels: { ...t.labels }, value: t.sum, metricName: `${name}_sum` },
        { labels: { ...t.labels }, value: t.count, metricName: `${name}_count` },
      );
    }
    // prom-client's declared type wants a `collect` its own histograms do not return, and has no `le` label.
    return { name, help: this.helpText, type: 'histogram', aggregator: 'sum', values } as unknown as HistogramData;
  }

  /** What the registry formats for the text exposition (prom-client asks for this first). */
  async getForPromString(): Promise<HistogramData> { return this.get(); }

  override reset(): void { /* the tallies are the source: nothing kept here */ }
}
