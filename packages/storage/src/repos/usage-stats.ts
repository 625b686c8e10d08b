import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database.js';

const DAY_MS = 86_400_000;

/** Requests of one group (a day or an endpoint) of a billing month, from the ledger. */
export interface RequestStats {
  requests: number;
  /** Requests that billed at least one unit. */
  billableRequests: number;
  /** Billable units (a batch request can bill several). */
  units: number;
  /** Requests answered 4xx or 5xx. */
  errors: number;
  /** Latency percentiles in ms (nearest rank over the group's requests). */
  p50: number;
  p99: number;
}

export interface DayStats extends RequestStats { /** Start of the UTC day, epoch ms. */ day: number }
export interface EndpointStats extends RequestStats { endpoint: string }

interface Row { g: string | number; requests: number | string; billable: number | string | null; units: number | string | null; errors: number | string | null; p50: number | string | null; p99: number | string | null }

/**
 * Counts, error rate and latency percentiles of an app's requests in a billing month, per UTC day
 * or per endpoint, computed in the database (window functions, so SQLite and PostgreSQL alike).
 * p50 and p99 are nearest-rank: the value at rank ⌈p·n⌉ of the group's latencies.
 */
export class UsageStatsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async byDay(appId: string, month: string): Promise<DayStats[]> {
    const rows = await this.stats(sql`at / ${sql.lit(DAY_MS)}`, appId, month);
    return rows.map((r) => ({ day: Number(r.g) * DAY_MS, ...numbers(r) }));
  }

  async byEndpoint(appId: string, month: string): Promise<EndpointStats[]> {
    const rows = await this.stats(sql.ref('endpoint'), appId, month);
    return rows.map((r) => ({ endpoint: String(r.g), ...numbers(r) }));
  }

  private async stats(group: RawBuilder<unknown>, appId: string, month: string): Promise<Row[]> {
    const r = await sql<Row>`with r as (
  select ${group} as g, latency_ms as l, units as u, status as s,
    row_number() over (partition by ${group} order by latency_ms) as rn,
    count(*) over (partition by ${group}) as n
  from ledger where app_id = ${appId} and month = ${month}
)
select g, max(n) as requests, sum(case when u > 0 then 1 else 0 end) as billable, sum(u) as units,
  sum(case when s >= 400 then 1 else 0 end) as errors,
  max(case when rn = (50 * n + 99) / 100 then l end) as p50,
  max(case when rn = (99 * n + 99) / 100 then l end) as p99
from r group by g order by g`.execute(this.db);
    return r.rows;
  }
}

function numbers(r: Row): RequestStats {
  return { requests: Number(r.requests), billableRequests: Number(r.billable ?? 0), units: Number(r.units ?? 0), errors: Number(r.errors ?? 0), p50: Number(r.p50 ?? 0), p99: Number(r.p99 ?? 0) };
}
