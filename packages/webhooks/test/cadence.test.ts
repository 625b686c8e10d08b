import { describe, expect, it } from 'vitest';
import { nextRunAfter } from '../src/index.js';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

/** Successive runs of a cadence from `first`, as the scheduler computes them (anchor = first). */
function runs(cadence: string, first: string, n: number): string[] {
  const out: string[] = [];
  let t = at(first);
  for (let i = 0; i < n; i++) { t = nextRunAfter(cadence, t, t, at(first)); out.push(iso(t)); }
  return out;
}

describe('cadence', () => {
  it('hourly, daily and weekly step by fixed intervals', () => {
    expect(runs('hourly', '2026-03-29T00:30:00.000Z', 2)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00.000Z']);
    expect(runs('daily', '2026-02-28T09:00:00.000Z', 2)).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-02T09:00:00.000Z']);
    expect(runs('weekly', '2026-12-28T09:00:00.000Z', 1)).toEqual(['2027-01-04T09:00:00.000Z']);
  });

  it('monthly from January 31 clamps to the last day of short months and returns to the 31st', () => {
    expect(runs('monthly', '2026-01-31T09:00:00.000Z', 5)).toEqual([
      '2026-02-28T09:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-04-30T09:00:00.000Z', '2026-05-31T09:00:00.000Z', '2026-06-30T09:00:00.000Z',
    ]);
    expect(runs('monthly', '2027-12-31T00:00:00.000Z', 3)).toEqual(['2028-01-31T00:00:00.000Z', '2028-02-29T00:00:00.000Z', '2028-03-31T00:00:00.000Z']);
  });

  it('skips runs missed while the server was down, keeping the anchor', () => {
    expect(iso(nextRunAfter('monthly', at('2026-02-28T09:00:00.000Z'), at('2026-05-01T00:00:00.000Z'), at('2026-01-31T09:00:00.000Z')))).toBe('2026-05-31T09:00:00.000Z');
    expect(iso(nextRunAfter('hourly', at('2026-01-01T00:00:00.000Z'), at('2026-01-01T05:10:00.000Z')))).toBe('2026-01-01T06:00:00.000Z');
  });
});
