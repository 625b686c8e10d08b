import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { decryptSecret, randomToken, sha256, uuid, verifyPassword, encryptSecret } from '@opencar/core';
import { AccountsRepo, MailRepo, OAuthRepo, OperatorsRepo, WebRepo, openStorage, type Storage } from '@opencar/storage';
import { cli, cliWithInput, type CliRun } from './cli-helpers.js';
import { EXIT } from '../src/cli/exit-codes.js';

const PG = process.env.TEST_DATABASE_URL;
const KEY = 'cli-test-secret-key-0123456789';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const json = <T>(r: CliRun): T => { expect(r.code, r.err).toBe(0); return JSON.parse(r.out) as T; };
const oneLineError = (r: CliRun, code: number) => { expect(r.code).toBe(code); expect(r.err.trim().split('\n')).toHaveLength(1); expect(r.err).not.toMatch(/\n\s+at /); return r.err.trim(); };

/** A developer with one app, a connected vehicle and a dashboard session. */
async function seed(storage: Storage) {
  const accounts = new AccountsRepo(storage.db);
  const developerId = uuid();
  const email = `dev-${randomToken(4).toLowerCase()}@example.com`;
  await accounts.createDeveloper({ id: developerId, email, password_hash: null, name: 'Dev One', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: Date.UTC(2026, 0, 1) });
  const appId = uuid();
  const amt = uuid();
  await accounts.createApp({ id: appId, developerId, name: 'Fleet app', logoUrl: null, clientSecretHash: sha256('old-secret'), amtHash: sha256(amt), amtEnc: encryptSecret(KEY, amt), redirectUris: ['https://app.example/cb'], defaultScope: ['read_vin'], mode: 'simulated', simLatency: null }, Date.UTC(2026, 0, 2));
  await storage.db.insertInto('oauth_grants').values({ id: 'g1', app_id: appId, user_id: 'u1', mode: 'simulated', permissions: '["read_vin"]', vehicle_ids: '["v1"]', created_at: 0, revoked_at: null } as never).execute();
  await storage.db.insertInto('oauth_connections').values({ app_id: appId, user_id: 'u1', vehicle_id: 'v1', grant_id: 'g1', mode: 'simulated', permissions: '["read_vin"]', connected_at: 0 } as never).execute();
  await storage.db.insertInto('oauth_tokens').values({ id: 't1', token_hash: sha256('access-1'), kind: 'access', grant_id: 'g1', app_id: appId, family_id: 'f1', created_at: 0, expires_at: Date.now() + 3_600_000, used_at: null, revoked_at: null } as never).execute();
  await new WebRepo(storage.db).createSession({ id_hash: sha256('sess'), kind: 'developer', subject_id: developerId, data: '{}', created_at: 0, last_seen_at: 0, expires_at: Date.now() + 3_600_000 });
  return { developerId, email, appId, amt };
}

interface Dialect { name: string; env: () => Record<string, string>; open: () => Promise<Storage>; cleanup?: () => Promise<void> }

const sqliteDir = mkdtempSync(join(tmpdir(), 'opencar-cli-'));
dirs.push(sqliteDir);
const dialects: Dialect[] = [{
  name: 'SQLite',
  env: () => ({ DATABASE_URL: `sqlite:${join(sqliteDir, 'opencar.db')}`, OPENCAR_DATA_DIR: sqliteDir, OPENCAR_SECRET_KEY: KEY }),
  open: () => openStorage(`sqlite:${join(sqliteDir, 'opencar.db')}`),
}];
if (PG) {
  const db = `opencar_cli_${process.pid}_${Date.now().toString(36)}`;
  const url = () => { const u = new URL(PG); u.pathname = `/${db}`; return u.toString(); };
  dialects.push({
    name: 'PostgreSQL',
    env: () => ({ DATABASE_URL: url(), OPENCAR_DATA_DIR: sqliteDir, OPENCAR_SECRET_KEY: KEY }),
    open: () => openStorage(url()),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`drop database if exists ${db} with (force)`);
      await c.end();
    },
  });
}

describe.each(dialects)('opencar CLI on the database directly ($name)', (d) => {
  let s: Awaited<ReturnType<typeof seed>>;
  const run = (...args: string[]) => cli(d.env(), ...args);
  const withStorage = async <T>(fn: (st: Storage) => Promise<T>) => { const st = await d.open(); try { return await fn(st); } finally { await st.close(); } };

  beforeAll(async () => {
    // `migrate` creates the schema (and, on PostgreSQL, the database itself).
    const m = await run('migrate');
    expect(m.code, m.err).toBe(0);
    expect(m.out).toMatch(/applied \d+ migration\(s\): 0001-accounts/);
    expect((await run('migrate')).out.trim()).toBe('the schema is up to date');
    s = await withStorage(seed);
  });
  afterAll(async () => { await d.cleanup?.(); });

  it('developers list and show, by id or e-mail; unknown developers exit 3', async () => {
    const list = await run('developers', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^EMAIL\\s+PLAN\\s+STATUS\\s+APPS`, 'm'));
    expect(list.out).toMatch(new RegExp(`${s.email}\\s+free\\s+active\\s+1\\s+2026-01-01\\s+${s.developerId}`));
    expect(json<{ email: string }[]>(await run('--json', 'developers', 'list')).map((x) => x.email)).toContain(s.email);
    for (const ref of [s.email, s.developerId, s.email.toUpperCase()]) {
      const shown = json<{ id: string; effectiveLimits: { requestsPerMonth: number; vehicles: number }; appList: { id: string; connectedVehicles: number }[] }>(await run('developers', 'show', ref, '--json'));
      expect(shown.id).toBe(s.developerId);
      expect(shown.effectiveLimits).toMatchObject({ requestsPerMonth: 100, vehicles: 5 });
      expect(shown.appList).toEqual([expect.objectContaining({ id: s.appId, connectedVehicles: 1 })]);
    }
    expect((await run('developers', 'show', s.email)).out).toMatch(/requests\/month\s+100/);
    expect(oneLineError(await run('developers', 'show', 'nobody@example.com'), EXIT.notFound)).toBe('opencar: no developer with id or e-mail "nobody@example.com"');
  });

  it('set-plan and set-limits change what billing reads; bad values exit 2 and change nothing', async () => {
    expect((await run('developers', 'set-plan', s.email, 'enterprise')).out.trim()).toBe(`${s.email}: plan enterprise, active`);
    expect(oneLineError(await run('developers', 'set-plan', s.email, 'platinum'), EXIT.usage)).toBe('opencar: plan must be one of free, payg, enterprise, got "platinum"');
    const limited = await run('developers', 'set-limits', s.email, '--requests-per-month', '5000', '--vehicles', 'unlimited', '--app-bucket', '300/10', '--vehicle-bucket', 'none', '--features', 'batch,compatibility');
    expect(limited.code, limited.err).toBe(0);
    const row = await withStorage((st) => new AccountsRepo(st.db).getDeveloper(s.developerId));
    expect(row!.plan).toBe('enterprise');
    expect(JSON.parse(row!.plan_limits!)).toEqual({ requestsPerMonth: 5000, vehicles: null, appBucket: { capacity: 300, refillPerMinute: 10 }, vehicleBucket: null, features: ['batch', 'compatibility'] });
    const merged = json<{ planLimits: object }>(await run('--json', 'developers', 'set-limits', s.email, '--price-cents', '3'));
    expect(merged.planLimits).toMatchObject({ requestsPerMonth: 5000, pricePerRequestCents: 3 });
    const shown = json<{ effectiveLimits: object }>(await run('--json', 'developers', 'show', s.email));
    expect(shown.effectiveLimits).toMatchObject({ requestsPerMonth: 5000, vehicles: null, pricePerRequestCents: 3, features: ['batch', 'compatibility'], vehicleBucket: null });
    expect(oneLineError(await run('developers', 'set-limits', s.email, '--vehicles', 'many'), EXIT.usage)).toBe('opencar: --vehicles must be a whole number or "unlimited", got "many"');
    expect(oneLineError(await run('developers', 'set-limits', s.email, '--features', 'teleport'), EXIT.usage)).toContain('features must be a list of');
    expect(oneLineError(await run('developers', 'set-limits', s.email), EXIT.usage)).toContain('give at least one limit option or --clear');
    expect(json<{ planLimits: unknown }>(await run('--json', 'developers', 'set-limits', s.email, '--clear')).planLimits).toBeNull();
  });

  it('suspend and reinstate', async () => {
    expect((await run('developers', 'suspend', s.developerId)).out.trim()).toBe(`${s.email}: plan enterprise, suspended`);
    expect((await withStorage((st) => new AccountsRepo(st.db).getDeveloper(s.developerId)))!.status).toBe('suspended');
    expect(json<{ suspendedDevelopers: number }>(await run('--json', 'status')).suspendedDevelopers).toBe(1);
    expect((await run('developers', 'reinstate', s.email)).out.trim()).toBe(`${s.email}: plan enterprise, active`);
  });

  it('mail outbox lists kept mails newest first, by address; bad limits exit 2', async () => {
    await withStorage(async (st) => {
      const repo = new MailRepo(st.db);
      await repo.add({ id: uuid(), to_address: 'a@example.com', subject: 'First', body_text: 'link one', created_at: Date.UTC(2026, 0, 1), sent_at: null, error: null });
      await repo.add({ id: uuid(), to_address: 'b@example.com', subject: 'Second', body_text: 'link two', created_at: Date.UTC(2026, 0, 2), sent_at: Date.UTC(2026, 0, 2), error: null });
    });
    const all = json<{ to: string; subject: string; text: string; sentAt: string | null }[]>(await run('--json', 'mail', 'outbox'));
    expect(all.map((m) => m.subject)).toEqual(['Second', 'First']);
    const one = await run('mail', 'outbox', '--to', 'A@example.com');
    expect(one.code, one.err).toBe(0);
    expect(one.out).toContain('to a@example.com  not sent (outbox only)');
    expect(one.out).toContain('Subject: First');
    expect(one.out).toContain('link one');
    expect(one.out).not.toContain('link two');
    expect((await run('mail', 'outbox', '--limit', '0')).code).toBe(EXIT.usage);
  });

  it('reset-password sets a working password once and ends dashboard sessions', async () => {
    const r = json<{ password: string; endedSessions: number }>(await run('--json', 'developers', 'reset-password', s.email));
    expect(r.endedSessions).toBe(1);
    const row = await withStorage((st) => new AccountsRepo(st.db).getDeveloper(s.developerId));
    expect(await verifyPassword(r.password, row!.password_hash!)).toBe(true);
    expect((await run('developers', 'reset-password', s.email)).out).toMatch(/new dashboard password \S{12,}\n0 dashboard session\(s\) ended/);
  });

  it('apps list, show, rotate-secret, rotate-amt; delete needs --yes and revokes the tokens', async () => {
    const list = await run('apps', 'list');
    expect(list.out).toMatch(new RegExp(`${s.appId}\\s+Fleet app\\s+${s.email}\\s+simulated\\s+1`));
    expect(json<unknown[]>(await run('--json', 'apps', 'list', '--developer', s.email))).toHaveLength(1);
    expect((await run('apps', 'show', s.appId)).out).toMatch(/redirect URIs\s+https:\/\/app\.example\/cb/);
    expect(oneLineError(await run('apps', 'show', 'no-such-app'), EXIT.notFound)).toBe('opencar: no application with client id "no-such-app"');

    const secret = json<{ clientSecret: string }>(await run('--json', 'apps', 'rotate-secret', s.appId));
    const amt = json<{ amt: string }>(await run('--json', 'apps', 'rotate-amt', s.appId));
    const app = await withStorage((st) => new AccountsRepo(st.db).getApp(s.appId));
    expect(app!.clientSecretHash).toBe(sha256(secret.clientSecret));
    expect(app!.amtHash).toBe(sha256(amt.amt));
    expect(decryptSecret(KEY, app!.amtEnc)).toBe(amt.amt);
    expect((await run('apps', 'rotate-secret', s.appId)).out).toMatch(/new client secret \S{20,}\nShown once/);

    expect(oneLineError(await run('apps', 'delete', s.appId), EXIT.usage)).toContain('add --yes to confirm');
    expect((await run('apps', 'delete', s.appId, '--yes')).out.trim()).toBe(`${s.appId}: deleted (vehicles disconnected, tokens revoked)`);
    const after = await withStorage(async (st) => ({
      app: await new AccountsRepo(st.db).getApp(s.appId),
      token: (await new OAuthRepo(st.db).findTokenWithGrant(sha256('access-1')))?.token,
    }));
    expect(after.app).toBeUndefined();
    expect(after.token!.revoked_at).not.toBeNull();
    expect(oneLineError(await run('apps', 'delete', s.appId, '--yes'), EXIT.notFound)).toContain('no application');
  });

  it('operators add, list, reset-password and remove; doctor finds the database up to date and the key opening its secrets', async () => {
    const added = json<{ operator: { id: string; email: string }; password: string }>(await run('--json', 'operators', 'add', 'ops@example.com'));
    expect(oneLineError(await run('operators', 'add', 'OPS@example.com'), EXIT.conflict)).toBe('opencar: an operator ops@example.com exists already');
    expect(json<{ email: string }[]>(await run('--json', 'operators', 'list')).map((o) => o.email)).toEqual(['ops@example.com']);
    const reset = json<{ password: string; endedSessions: number }>(await run('--json', 'operators', 'reset-password', added.operator.id));
    const stored = await withStorage((st) => new OperatorsRepo(st.db).findByEmail('ops@example.com'));
    expect(await verifyPassword(reset.password, stored!.password_hash)).toBe(true);
    expect((await run('operators', 'remove', 'ops@example.com')).code).toBe(0);
    expect(json<unknown[]>(await run('--json', 'operators', 'list'))).toEqual([]);
    const checks = json<{ check: string; status: string }[]>(await cli({ ...d.env(), PUBLIC_URL: 'http://127.0.0.1:1' }, '--json', 'doctor'));
    expect(checks.filter((c) => ['database', 'secret key vs data'].includes(c.check)).map((c) => c.status)).toEqual(['ok', 'ok']);
  });

  it('status prints the platform counters', async () => {
    const k = json<Record<string, number | string>>(await run('status', '--json'));
    expect(k).toMatchObject({ developers: 1, suspendedDevelopers: 0, apps: 0, requestsToday: 0, webhookBacklog: 0, webhookDeadLetters: 0, via: 'database' });
    expect((await run('status')).out).toMatch(/^developers\s+1 \(0 suspended\)$/m);
  });
});

describe('opencar CLI usage', () => {
  const env = () => ({ DATABASE_URL: `sqlite:${join(sqliteDir, 'usage.db')}`, OPENCAR_DATA_DIR: sqliteDir, OPENCAR_SECRET_KEY: KEY });
  it('--help on every command exits 0; unknown commands and options exit 2', async () => {
    const commands = [[], ['start'], ['migrate'], ['doctor'], ['status'], ['developers'], ['apps'],
      ...['list', 'show', 'set-plan', 'set-limits', 'suspend', 'reinstate', 'reset-password'].map((c) => ['developers', c]),
      ...['list', 'show', 'rotate-secret', 'rotate-amt', 'delete'].map((c) => ['apps', c]),
      ['operators'], ...['add', 'list', 'reset-password', 'remove'].map((c) => ['operators', c]), ['backup'], ['restore']];
    for (const c of commands) {
      const r = await cli(env(), ...c, '--help');
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.out, c.join(' ')).toMatch(new RegExp(`^Usage: opencar${c.length ? ` ${c.join(' ')}` : ''} `, 'm'));
    }
    expect((await cli(env(), 'fly')).code).toBe(EXIT.usage);
    expect((await cli(env(), 'developers')).code).toBe(EXIT.usage);
    expect((await cli(env(), 'developers', 'list', '--colour')).code).toBe(EXIT.usage);
    expect((await cli(env(), 'developers', 'show')).code).toBe(EXIT.usage);
  });

  it('a configuration error is one line naming the variable, exit 2', async () => {
    expect(oneLineError(await cli({ ...env(), PORT: 'eighty' }, 'developers', 'list'), EXIT.usage)).toBe('opencar: invalid configuration: PORT: must be a whole number, got "eighty"');
  });

  it('an unreachable database exits 5', async () => {
    const r = await cli({ DATABASE_URL: 'postgres://x@127.0.0.1:1/none', OPENCAR_SECRET_KEY: KEY }, 'developers', 'list');
    expect(oneLineError(r, EXIT.unavailable)).toContain('cannot reach PostgreSQL at 127.0.0.1:1');
  });
});

describe('opencar doctor and operators (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-doctor-'));
  dirs.push(dir);
  const env = { DATABASE_URL: `sqlite:${join(dir, 'opencar.db')}`, OPENCAR_DATA_DIR: dir, OPENCAR_SECRET_KEY: KEY, PORT: '1', PUBLIC_URL: 'http://127.0.0.1:1' };

  it('doctor reports each check on one line with its fix; failures exit 1', async () => {
    const fresh = await cli(env, 'doctor');
    expect(fresh.code).toBe(0);
    expect(fresh.out).toMatch(/^warn database: SQLite .* reachable; \d+ migration\(s\) pending: 0001-accounts/m);
    expect(fresh.out).toContain('     fix: run `opencar migrate`');
    expect(fresh.out).toMatch(/^warn public URL: http:\/\/127\.0\.0\.1:1\/healthz is not reachable/m);
    expect((await cli(env, 'migrate')).code).toBe(0);
    await cli(env, 'operators', 'add', 'first@example.com');
    const st = await openStorage(env.DATABASE_URL);
    await seed(st);
    await st.close();
    const healthy = json<{ check: string; status: string }[]>(await cli(env, '--json', 'doctor'));
    expect(healthy.map((c) => `${c.status} ${c.check}`)).toEqual(['ok .env', 'ok configuration', 'ok secret key', 'ok database', 'ok secret key vs data', 'ok connectors', 'warn public URL']);
    const wrongKey = await cli({ ...env, OPENCAR_SECRET_KEY: 'not-the-key-0123456789' }, 'doctor');
    expect(wrongKey.code).toBe(EXIT.failed);
    expect(wrongKey.out).toMatch(/^FAIL secret key vs data: the configured key does not open the secrets stored in the database/m);
    expect(wrongKey.out).toContain('fix: set OPENCAR_SECRET_KEY to the key this database was created with');
    const badConfig = await cli({ ...env, OPENCAR_WEBHOOK_TIMEOUT_MS: 'soon' }, 'doctor');
    expect(badConfig.code).toBe(EXIT.failed);
    expect(badConfig.out).toContain('FAIL configuration: invalid configuration: OPENCAR_WEBHOOK_TIMEOUT_MS: must be a whole number, got "soon"');
  });

  it('operators add, list, reset-password and remove; duplicates and short passwords are refused', async () => {
    const added = json<{ operator: { email: string }; password: string }>(await cli(env, '--json', 'operators', 'add', 'Ops@Example.com'));
    expect(added.operator.email).toBe('ops@example.com');
    expect(added.password.length).toBeGreaterThanOrEqual(20);
    expect(oneLineError(await cli(env, 'operators', 'add', 'ops@example.com'), EXIT.conflict)).toBe('opencar: an operator ops@example.com exists already');
    expect(oneLineError(await cliWithInput(env, 'short\n', 'operators', 'add', 'x@example.com', '--password-stdin'), EXIT.usage)).toBe('opencar: an operator password must be 12 to 200 characters');
    expect((await cliWithInput(env, 'a-long-enough-password\n', 'operators', 'add', 'y@example.com', '--password-stdin')).out).toMatch(/^operator y@example.com created\nSign in at http:\/\/127\.0\.0\.1:1\/admin/);
    expect((await cli(env, 'operators', 'list')).out).toMatch(/^ops@example\.com\s+\d{4}-\d\d-\d\d\s+\S+$/m);
    const st = await openStorage(env.DATABASE_URL);
    const stored = await new OperatorsRepo(st.db).findByEmail('y@example.com');
    expect(await verifyPassword('a-long-enough-password', stored!.password_hash)).toBe(true);
    await st.close();
    const reset = json<{ password: string }>(await cli(env, '--json', 'operators', 'reset-password', 'ops@example.com'));
    expect(reset.password).not.toBe(added.password);
    expect((await cli(env, 'operators', 'remove', 'ops@example.com')).out.trim()).toBe('operator ops@example.com removed');
    expect((await cli(env, 'operators', 'remove', 'ops@example.com')).code).toBe(EXIT.notFound);
  });
});
