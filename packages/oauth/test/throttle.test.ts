import { describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { MAX_FAILURES, SignInThrottle, WINDOW_MS } from '../src/connect/throttle.js';

describe('sign-in throttle', () => {
  it('locks a key after MAX_FAILURES within the window and frees it when the window passes', () => {
    const clock = new ManualClock(1_000_000);
    const t = new SignInThrottle(clock);
    for (let i = 0; i < MAX_FAILURES; i++) t.recordFailure('a');
    expect(t.retryAfterMs('a')).toBe(WINDOW_MS);
    clock.advance(WINDOW_MS);
    expect(t.retryAfterMs('a')).toBe(0);
  });

  it('keeps a lockout when a flood of other keys fills the table (only unlocked or expired keys are evicted)', () => {
    const clock = new ManualClock(1_000_000);
    const t = new SignInThrottle(clock, 10);
    for (let i = 0; i < MAX_FAILURES; i++) t.recordFailure('victim');
    for (let i = 0; i < 200; i++) t.recordFailure(`flood-${i}`);
    expect(t.retryAfterMs('victim')).toBeGreaterThan(0);
    expect(t.size).toBeLessThanOrEqual(10);
  });

  it('evicts expired keys first when full', () => {
    const clock = new ManualClock(1_000_000);
    const t = new SignInThrottle(clock, 4);
    for (const k of ['old-1', 'old-2', 'old-3']) t.recordFailure(k);
    clock.advance(WINDOW_MS + 1);
    for (let i = 0; i < MAX_FAILURES; i++) t.recordFailure('locked');
    t.recordFailure('fresh');
    expect(t.size).toBe(2);
    expect(t.retryAfterMs('locked')).toBeGreaterThan(0);
  });
});
