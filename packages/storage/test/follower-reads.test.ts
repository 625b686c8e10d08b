import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FollowerReads, pickFollowers, type DeliveryRow, type FollowerRead } from '../src/index.js';

const NOW = 1_000_000;

/** A pending delivery of queue `q` at position `seq`; `blocked`: not due yet, or leased by someone else. */
function row(q: number, seq: number, blocked: 'due' | 'later' | 'leased' = 'due'): DeliveryRow {
  return {
    id: `d-${q}-${String(seq).padStart(4, '0')}`, webhook_id: 'wh', app_id: 'app', order_key: `veh-${q}`, seq, event_name: 'eventBased', body: '{}',
    status: 'pending', attempts: 0, next_attempt_at: blocked === 'later' ? NOW + 1 : NOW - 1, lease_owner: blocked === 'leased' ? 'other' : null,
    lease_until: blocked === 'leased' ? NOW + 1 : null, created_at: 0, delivered_at: null, last_status: null, last_error: null, retry_from: null, test: 0,
  } as DeliveryRow;
}

/** Runs the plan against in-memory queues (the rows behind each head, in order); counts the rows read. */
function planned(heads: DeliveryRow[], behind: Map<string, DeliveryRow[]>, chain: (h: DeliveryRow) => number, budget: number) {
  const plan = new FollowerReads(heads, chain, budget, NOW);
  let read = 0;
  let passes = 0;
  const answer = (reads: readonly FollowerRead[]) => new Map(reads.map((r) => {
    const all = behind.get(r.head.id) ?? [];
    const from = r.after === r.head ? 0 : all.indexOf(r.after) + 1;
    const got = all.slice(from, from + r.limit);
    read += got.length;
    return [r.head.id, got] as const;
  }));
  for (let reads = plan.first(); reads.length > 0; passes++) reads = plan.absorb(answer(reads));
  return { picked: plan.picked, read, passes };
}

describe('FollowerReads: followers read in passes, dealt out as from whole chains', () => {
  it('reads a fair share of the budget per queue when every queue has that many', () => {
    const heads = Array.from({ length: 50 }, (_, q) => row(q, 0));
    const behind = new Map(heads.map((h, q) => [h.id, Array.from({ length: 39 }, (_, i) => row(q, i + 1))]));
    const { picked, read, passes } = planned(heads, behind, () => 32, 206);
    expect(picked).toEqual(pickFollowers(heads, behind, () => 32, 206, NOW));
    expect(picked).toHaveLength(206);
    expect(read).toBe(250); // 5 a queue, where whole chains would read 31 a queue (1,550)
    expect(passes).toBe(1);
  });

  it('reads further only in queues that gave all they were asked for, when others ran short', () => {
    const heads = [row(0, 0), row(1, 0), row(2, 0)];
    const behind = new Map([
      [heads[0]!.id, [row(0, 1), row(0, 2, 'leased'), row(0, 3)]],
      [heads[1]!.id, Array.from({ length: 20 }, (_, i) => row(1, i + 1))],
      [heads[2]!.id, [row(2, 1, 'later')]],
    ]);
    const { picked, passes } = planned(heads, behind, () => 10, 12);
    expect(picked).toEqual(pickFollowers(heads, behind, () => 10, 12, NOW));
    expect(picked.map((r) => r.id)).toEqual(['d-0-0001', 'd-1-0001', ...Array.from({ length: 8 }, (_, i) => `d-1-${String(i + 2).padStart(4, '0')}`)]);
    expect(passes).toBeGreaterThan(1);
  });

  it('always picks exactly what pickFollowers picks from whole chains, and never reads more', () => {
    const queue = fc.array(fc.constantFrom<'due' | 'later' | 'leased'>('due', 'due', 'due', 'due', 'later', 'leased'), { maxLength: 40 });
    fc.assert(fc.property(fc.array(fc.tuple(queue, fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 300 }), (queues, budget) => {
      const heads = queues.map((_, q) => row(q, 0));
      const behind = new Map(queues.map(([states], q) => [heads[q]!.id, states.map((s, i) => row(q, i + 1, s))]));
      const limits = new Map(queues.map(([, limit], q) => [heads[q]!.id, limit]));
      const chain = (h: DeliveryRow) => limits.get(h.id)!;
      const whole = new Map([...behind].map(([id, rows]) => [id, rows.slice(0, Math.min(budget, chain(heads.find((h) => h.id === id)!) - 1))]));
      const { picked, read } = planned(heads, behind, chain, budget);
      expect(picked).toEqual(pickFollowers(heads, whole, chain, budget, NOW));
      expect(read).toBeLessThanOrEqual([...whole.values()].reduce((n, rows) => n + rows.length, 0));
    }), { numRuns: 500, seed: 20261203 });
  });
});
