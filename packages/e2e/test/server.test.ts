import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LiveServer } from '../src/index.js';

describe('live server harness', () => {
  let s: LiveServer;
  beforeAll(async () => { s = await startServer(); });
  afterAll(async () => s?.close());

  it('listens on 127.0.0.1 and answers /healthz with a request id', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('sc-request-id')).toHaveLength(36);
  });
});
