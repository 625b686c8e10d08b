import { describe, expect, it } from 'vitest';
import { testApp } from './helpers.js';

describe('graceful shutdown', () => {
  it('finishes in-flight requests and refuses new ones while closing', async () => {
    const t = await testApp();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let entered!: () => void;
    const inside = new Promise<void>((r) => { entered = r; });
    t.app.get('/v2.0/__slow', async () => { entered(); await gate; return { done: true }; });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;

    const inflight = fetch(`http://127.0.0.1:${port}/v2.0/__slow`);
    await inside;
    const closing = t.app.close();
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(refused);
    release();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    await t.platform.close();
    await t.platform.storage.close();
  });
});
