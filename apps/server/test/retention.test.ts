import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ConfigError, ManualClock, loadConfig } from '@opencar/core';
import { ChargeObservationsRepo, MailRepo, openStorage, type Storage } from '@opencar/storage';
import { RetentionJob } from '../src/retention.js';

const PG = process.env.TEST_DATABASE_URL;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 15);
const log = pino({ level: 'silent' });

const ledgerRow = (id: string, at: number, month: string) => ({
  request_id: id, at, month, app_id: 'app1', vehicle_id: 'v1', user_id: 'u1', endpoint: '/odometer', method: 'GET', status: 200, latency_ms: 3, units: 1, woke: 0, request_class: 'read',
});
const delivery = (id: string, status: string, createdAt: number) => ({
  id, webhook_id: 'wh1', app_id: 'app1', order_key: 'v1', seq: Number(id.replace(/\D/g, '')), event_name: 'VEHICLE_STATE', body: '{"big":"body"}', status, attempts: 1,
  next_attempt_at: createdAt, lease_owner: null, lease_until: null, created_at: createdAt, delivered_at: status === 'delivered' ? createdAt : null, last_status: 200, last_error: null, retry_from: null,
});
const attempt = (id: string, deliveryId: string, at: number) => ({ id, delivery_id: deliveryId, webhook_id: 'wh1', attempt: 1, at, duration_ms: 5, response_status: 200, response_body: 'ok', error: null });

async function seed(s: Storage) {
  await s.db.insertInto('ledger').values([
    ledgerRow('old-closed', Date.UTC(2026, 5, 10), '2026-06'),
    ledgerRow('old-open', Date.UTC(2026, 6, 10), '2026-07'),
    ledgerRow('recent', NOW - 10 * DAY, '2026-11'),
  ] as never).execute();
  await s.db.insertInto('statements').values({ app_id: 'app1', month: '2026-06', developer_id: 'd1', plan: 'free', requests: 1, billable_units: 1, vehicles: 1, amount_cents: 0, by_endpoint: '{}', created_at: Date.UTC(2026, 6, 1) }).execute();
  await s.db.insertInto('usage_counters').values({ app_id: 'app1', month: '2026-06', scope: '', units: 1 } as never).execute();
  await s.db.insertInto('webhooks').values({ id: 'wh1', app_id: 'app1', name: 'w', url: 'https://r.example/h', kind: 'eventBased', cadence: null, topics: '[]', status: 'verified', verified_at: 0, next_run_at: null, created_at: 0, deleted_at: null, anchor_at: null } as never).execute();
  await s.db.insertInto('webhook_deliveries').values([
    delivery('d1', 'delivered', NOW - 200 * DAY), delivery('d2', 'dead', NOW - 150 * DAY), delivery('d3', 'pending', NOW - 120 * DAY), delivery('d4', 'delivered', NOW - 5 * DAY),
  ] as never).execute();
  await s.db.insertInto('webhook_attempts').values([attempt('a1', 'd1', NOW - 200 * DAY), attempt('a2', 'd2', NOW - 150 * DAY), attempt('a4', 'd4', NOW - 5 * DAY)] as never).execute();
  const charges = new ChargeObservationsRepo(s.db);
  await charges.record({ vehicleId: 'v1', at: NOW - 100 * DAY, soc: 0.4, powerKw: 11, charging: true, pluggedIn: true });
  await charges.record({ vehicleId: 'v1', at: NOW - 2 * DAY, soc: 0.5, powerKw: 11, charging: true, pluggedIn: true });
  const mail = new MailRepo(s.db);
  const message = (id: string, createdAt: number, sentAt: number | null, error: string | null) => mail.add({ id, to_address: 'dev@example.com', subject: 'Reset your opencar password', body_text: `link ${id}`, created_at: createdAt, sent_at: sentAt, error });
  await message('m-old-sent', NOW - 120 * DAY, NOW - 120 * DAY + 1000, null);
  await message('m-old-kept', NOW - 100 * DAY, null, null);
  await message('m-old-failed', NOW - 95 * DAY, null, 'connection refused');
  await message('m-recent-kept', NOW - 3 * DAY, null, null);
  await message('m-recent-sent', NOW - DAY, NOW - DAY + 1000, null);
}

const dialects = [{ name: 'SQLite', url: 'sqlite::memory:', schema: undefined as string | undefined }];
if (PG) dialects.push({ name: 'PostgreSQL', url: PG, schema: `retention_${process.pid}_${Date.now().toString(36)}` });

describe.each(dialects)('retention job ($name)', ({ url, schema }) => {
  let s: Storage;
  beforeAll(async () => { s = await openStorage(url, schema ? { schema } : {}); await seed(s); });
  afterAll(async () => {
    if (schema) await s.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await s.close();
  });
  const ids = async (table: 'ledger' | 'webhook_deliveries' | 'webhook_attempts') => {
    const col = table === 'ledger' ? 'request_id' : 'id';
    return (await s.db.selectFrom(table).select(`${col} as id` as never).execute() as { id: string }[]).map((r) => r.id).sort();
  };

  it('retention 0 keeps everything', async () => {
    const mailIds = async () => (await new MailRepo(s.db).list(10)).map((m) => m.id).sort();
    expect(await new RetentionJob(s, new ManualClock(NOW), { days: 0, requestDetailDays: 0 }, log).runOnce()).toEqual({ ledgerRows: 0, webhookAttempts: 0, webhookDeliveries: 0, chargeObservations: 0, mailMessages: 0, requestDetails: 0 });
    expect(await ids('ledger')).toEqual(['old-closed', 'old-open', 'recent']);
    expect(await mailIds()).toEqual(['m-old-failed', 'm-old-kept', 'm-old-sent', 'm-recent-kept', 'm-recent-sent']);
  });

  it('purges ledger rows of closed months, finished deliveries, charge observations and outbox mail past the age; keeps counters, statements, open months and pending deliveries', async () => {
    const counts = await new RetentionJob(s, new ManualClock(NOW), { days: 90, requestDetailDays: 0 }, log).runOnce();
    expect(counts).toEqual({ ledgerRows: 1, webhookAttempts: 2, webhookDeliveries: 2, chargeObservations: 1, mailMessages: 3, requestDetails: 0 });
    expect((await new MailRepo(s.db).list(10)).map((m) => m.id)).toEqual(['m-recent-sent', 'm-recent-kept']);
    expect((await s.db.selectFrom('charge_observations').select('at').execute()).map((r) => Number(r.at))).toEqual([NOW - 2 * DAY]);
    expect(await ids('ledger')).toEqual(['old-open', 'recent']);
    expect(await ids('webhook_deliveries')).toEqual(['d3', 'd4']);
    expect(await ids('webhook_attempts')).toEqual(['a4']);
    expect(await s.db.selectFrom('statements').selectAll().execute()).toHaveLength(1);
    expect(await s.db.selectFrom('usage_counters').selectAll().execute()).toHaveLength(1);
    expect(await new RetentionJob(s, new ManualClock(NOW), { days: 90, requestDetailDays: 0 }, log).runOnce()).toEqual({ ledgerRows: 0, webhookAttempts: 0, webhookDeliveries: 0, chargeObservations: 0, mailMessages: 0, requestDetails: 0 });
  });

  it('purges request headers and bodies by OPENCAR_REQUEST_LOG_RETENTION_DAYS, apart from the ledger rows of the same requests', async () => {
    const detail = (id: string, at: number) => ({
      request_id: id, app_id: 'app1', at, method: 'GET', path: '/v2.0/vehicles', query: '', request_headers: '{}', request_body: null, request_body_bytes: 0, request_body_truncated: 0,
      response_status: 200, response_headers: '{}', response_body: '{}', response_body_bytes: 2, response_body_truncated: 0,
    });
    await s.db.insertInto('request_details').values([detail('recent', NOW - 10 * DAY), detail('week-old', NOW - 6 * DAY), detail('fresh', NOW - DAY)]).execute();
    const details = async () => (await s.db.selectFrom('request_details').select('request_id').execute()).map((r) => r.request_id).sort();
    // Ledger retention off: the detail still goes after its own setting.
    expect(await new RetentionJob(s, new ManualClock(NOW), { days: 0, requestDetailDays: 7 }, log).runOnce()).toEqual({ ledgerRows: 0, webhookAttempts: 0, webhookDeliveries: 0, chargeObservations: 0, mailMessages: 0, requestDetails: 1 });
    expect(await details()).toEqual(['fresh', 'week-old']);
    expect(await ids('ledger')).toContain('recent');
    expect(await new RetentionJob(s, new ManualClock(NOW), { days: 90, requestDetailDays: 2 }, log).runOnce()).toMatchObject({ ledgerRows: 0, requestDetails: 1 });
    expect(await details()).toEqual(['fresh']);
  });

  it('runs on its own once started, and stops on close', async () => {
    await s.db.insertInto('ledger').values(ledgerRow('old-closed-2', Date.UTC(2026, 5, 11), '2026-06') as never).execute();
    const job = new RetentionJob(s, new ManualClock(NOW), { days: 90, requestDetailDays: 0 }, log);
    job.start(1);
    for (let i = 0; i < 100 && (await ids('ledger')).includes('old-closed-2'); i++) await new Promise((r) => setTimeout(r, 20));
    await job.close();
    expect(await ids('ledger')).toEqual(['old-open', 'recent']);
  });
});

describe('OPENCAR_REQUEST_LOG_RETENTION_DAYS', () => {
  it('defaults to 7 days, 0 keeps no headers or bodies, anything else is a named error', () => {
    expect(loadConfig({}).requestLogRetentionDays).toBe(7);
    expect(loadConfig({ OPENCAR_REQUEST_LOG_RETENTION_DAYS: '0' }).requestLogRetentionDays).toBe(0);
    expect(loadConfig({ OPENCAR_REQUEST_LOG_RETENTION_DAYS: '30' }).requestLogRetentionDays).toBe(30);
    expect(() => loadConfig({ OPENCAR_REQUEST_LOG_RETENTION_DAYS: '7d' })).toThrow(new ConfigError('OPENCAR_REQUEST_LOG_RETENTION_DAYS', 'must be a whole number, got "7d"'));
    expect(() => loadConfig({ OPENCAR_REQUEST_LOG_RETENTION_DAYS: '4000' })).toThrow(new ConfigError('OPENCAR_REQUEST_LOG_RETENTION_DAYS', 'must be between 0 and 3650, got 4000'));
  });
});

describe('OPENCAR_RETENTION_DAYS', () => {
  it('defaults to 90 days, 0 keeps everything, anything else is a named error', () => {
    expect(loadConfig({}).retentionDays).toBe(90);
    expect(loadConfig({ OPENCAR_RETENTION_DAYS: '0' }).retentionDays).toBe(0);
    expect(() => loadConfig({ OPENCAR_RETENTION_DAYS: 'forever' })).toThrow(new ConfigError('OPENCAR_RETENTION_DAYS', 'must be a whole number, got "forever"'));
  });
});
