import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { metrics } from '../src/plugins/metrics.js';
import { RequestTallies } from '../src/plugins/request-tallies.js';

const line = (body: string, name: string, labels: string) => {
  const m = new RegExp(`^${name}\\{${labels.replace(/[+.]/g, (c) => `\\${c}`)}\\} (\\S+)$`, 'm').exec(body);
  return m ? Number(m[1]) : undefined;
};

describe('request metrics', () => {
  it('the scrape shows every request counted per route, method and status, folded once across scrapes', async () => {
    const app = Fastify();
    metrics(app);
    app.get('/a', async () => 'ok');
    app.post('/a', async (_req, reply) => reply.code(201).send('made'));
    for (let i = 0; i < 3; i++) await app.inject('/a');
    await app.inject({ method: 'POST', url: '/a' });
    await app.inject('/nowhere');
    let body = (await app.inject('/metrics')).body;
    expect(line(body, 'opencar_http_requests_total', 'route="/a",method="GET",status="200"')).toBe(3);
    expect(line(body, 'opencar_http_requests_total', 'route="/a",method="POST",status="201"')).toBe(1);
    expect(line(body, 'opencar_http_requests_total', 'route="unmatched",method="GET",status="404"')).toBe(1);
    expect(line(body, 'opencar_http_request_duration_seconds_count', 'route="/a",method="GET",status="200"')).toBe(3);
    expect(line(body, 'opencar_http_request_duration_seconds_bucket', 'le="+Inf",route="/a",method="GET",status="200"')).toBe(3);
    expect(line(body, 'opencar_http_request_duration_seconds_bucket', 'le="300",route="/a",method="GET",status="200"')).toBe(3);
    expect(line(body, 'opencar_http_request_duration_seconds_sum', 'route="/a",method="GET",status="200"')).toBeGreaterThan(0);
    await app.inject('/a');
    body = (await app.inject('/metrics')).body;
    expect(line(body, 'opencar_http_requests_total', 'route="/a",method="GET",status="200"')).toBe(4);
    expect(line(body, 'opencar_http_request_duration_seconds_count', 'route="/a",method="GET",status="200"')).toBe(4);
    // The first scrape itself was counted once it was answered.
    expect(line(body, 'opencar_http_requests_total', 'route="/metrics",method="GET",status="200"')).toBe(1);
    expect(body).toContain('# TYPE opencar_http_request_duration_seconds histogram');
    await app.close();
  });

  it('tallies latencies into cumulative buckets by upper bound', () => {
    const t = new RequestTallies([0.01, 0.1, 1]);
    for (const s of [0.001, 0.01, 0.05, 0.5, 2, 7]) t.add('/r', 'GET', 200, s);
    const [tally] = t.tallies();
    expect([...tally!.buckets]).toEqual([2, 1, 1, 2]); // a value equal to a bound falls in that bound's bucket
    expect(tally!.count).toBe(6);
    expect(tally!.sum).toBeCloseTo(9.561);
    expect(t.tallies()).toHaveLength(1);
  });
});
