/** Outcome of one HTTP POST to a receiver. */
export interface PostResult {
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

/** POSTs a signed JSON body with a hard timeout; never throws. */
export async function postSigned(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'opencar-webhooks/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: text.slice(0, 1024), error: null, durationMs: performance.now() - started };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : e.cause?.code ?? e.message;
    return { status: null, body: null, error: reason, durationMs: performance.now() - started };
  }
}
