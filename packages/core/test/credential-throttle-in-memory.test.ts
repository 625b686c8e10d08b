import { describe, expect, it } from 'vitest';
import { CredentialThrottle, ManualClock, MemoryFailureLog, PASSWORD_POLICY, SECRET_POLICY } from '@opencar/core';

/** A failure log that counts its reads. */
class CountingLog extends MemoryFailureLog {
  reads = 0;
  override async recent(keys: readonly string[], since: number): Promise<Map<string, number[]>> {
    this.reads++;
    return super.recent(keys, since);
  }
}

describe('credential throttle: policies judged in memory', () => {
  it('runs the check at once, within the guard call, and reads no stored failure while nothing is locked', async () => {
    const log = new CountingLog();
    const t = new CredentialThrottle(log, new ManualClock(1_000_000));
    let ran = false;
    const pending = t.guard({ kind: 'token', address: '192.0.2.1' }, SECRET_POLICY, async () => { ran = true; return 'ctx'; });
    expect(ran).toBe(true); // no await before the check
    expect(await pending).toEqual({ ok: true, value: 'ctx' });
    expect(log.reads).toBe(0);
  });

  it('a locked address is refused without running the check; a stored policy still reads its failures first', async () => {
    const log = new CountingLog();
    const clock = new ManualClock(2_000_000);
    const t = new CredentialThrottle(log, clock);
    const a = { kind: 'token', address: '192.0.2.2' };
    for (let i = 0; i < SECRET_POLICY.address.limit; i++) expect(await t.guard(a, SECRET_POLICY, async () => undefined)).toEqual({ ok: false, retryAfterMs: 0 });
    let ran = false;
    expect(await t.guard(a, SECRET_POLICY, async () => { ran = true; return 'ctx'; })).toEqual({ ok: false, retryAfterMs: SECRET_POLICY.address.windowMs });
    expect(ran).toBe(false);
    const reads = log.reads;
    const stored = t.guard({ kind: 'pw', credential: 'x', address: '192.0.2.3' }, PASSWORD_POLICY, async () => { ran = true; return 'ok'; });
    expect(ran).toBe(false); // a stored policy reads the shared failures before checking
    expect(await stored).toEqual({ ok: true, value: 'ok' });
    expect(log.reads).toBe(reads + 1);
  });

  it('a check that throws rejects the guard, as an async check does', async () => {
    const t = new CredentialThrottle(new MemoryFailureLog(), new ManualClock(3_000_000));
    await expect(t.guard({ kind: 'token', address: '192.0.2.4' }, SECRET_POLICY, () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });
});
