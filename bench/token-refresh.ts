/**
 * Refresh-token grant benchmark (`npx tsx bench/token-refresh.ts`): opencar's `POST /oauth/token`
 * against node-oidc-provider 9 (devDependency, in-memory adapter), in one run.
 *
 * Both servers are configured alike: a confidential client authenticating with
 * `client_secret_basic`, refresh-token rotation on every use, an offline grant, no ID token
 * (oidc-provider gets only the `offline_access` scope, so it issues none). Each server runs in its
 * own child process pinned with `taskset` to core 0; this process (the autocannon load, 50
 * connections) pins itself to core 1. Each child mints a pool of refresh tokens without a browser
 * (opencar: a grant recorded the way Connect records one; oidc-provider: a `Grant` and a
 * `RefreshToken` created and saved through its models) and hands them over on stdout. Every request
 * takes the next unused token of its side's pool and puts the rotated one the server answers with at
 * the back, so no token is ever presented twice and both sides see the same load.
 *
 * The sides run in BENCH_ROUNDS rounds of ABBA order (opencar, oidc-provider, oidc-provider,
 * opencar), BENCH_SECONDS per side in all, after a short warm-up of each. 127.0.0.1 only. Prints
 * both rates, p50/p99, each server's CPU time per grant (from /proc, all its threads) and the ratio
 * last; any non-200 answer fails the run.
 *
 * Options (env): BENCH_CONNECTIONS (50), BENCH_SECONDS (10, at most 40), BENCH_ROUNDS (2), BENCH_POOL (tokens per side;
 * at least, and by default, 2 × connections × (phases per side + 2)), BENCH_DATABASE_URL (opencar's database; default a SQLite file in a temp dir; a
 * postgres://… URL gets a database of its own, created and dropped by the run), BENCH_CPU_PROF_DIR (each child writes a CPU profile of
 * the load, `opencar.cpuprofile` and `oidc-provider.cpuprofile`, there), BENCH_NO_TASKSET=1 (no pinning, e.g. on a one-core machine).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const CLIENT = { id: 'bench-refresh-client', secret: 'bench-refresh-client-secret-0123456789', redirectUri: 'https://app.example/callback' };
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Math.min(40, Number(process.env.BENCH_SECONDS ?? 10));
const pin = process.env.BENCH_NO_TASKSET !== '1';
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 2)));
// Each phase's end drops the answers in flight (their rotated tokens are lost, never reused): the
// pool holds enough for every phase of a side, twice over.
const poolSize = Math.max(connections * 2 * (2 * ROUNDS + 2), Number(process.env.BENCH_POOL ?? 0));

/** What a child prints once ready: where it listens and its pool of unused refresh tokens. */
interface Ready { url: string; tokenPath: string; tokens: string[] }

/**
 * Prints the READY line. With BENCH_CPU_PROF_DIR, the child profiles its CPU from then on (the
 * load only, not start-up and minting) and writes `<side>.cpuprofile` there when told to stop.
 */
async function announce(side: string, ready: Ready): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  let stop = async () => {};
  if (dir) {
    const session = new Session();
    session.connect();
    const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
    await post('Profiler.enable');
    await post('Profiler.start');
    stop = async () => {
      const { profile } = await post('Profiler.stop') as { profile: object };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${side}.cpuprofile`), JSON.stringify(profile));
    };
  }
  process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
  return stop;
}

/** Child: opencar with the bench client seeded, its refresh tokens minted as Connect would. */
async function serveOpencar(): Promise<void> {
  const [{ startServer }, { connectForTest }, { systemClock }] = await Promise.all([import('@opencar/e2e'), import('@opencar/oauth'), import('@opencar/core')]);
  const dir = mkdtempSync(join(tmpdir(), 'opencar-bench-refresh-'));
  const database = await ownDatabase(process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`);
  const server = await startServer({
    databaseUrl: database.url,
    env: { LOG_LEVEL: 'warn', OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_REDIRECT_URIS: CLIENT.redirectUri },
  });
  const tokens: string[] = [];
  // Ten grants at a time (PostgreSQL's pool holds ten connections).
  for (let i = 0; i < poolSize; i += 10) {
    const chunk = Array.from({ length: Math.min(10, poolSize - i) }, (_, k) => connectForTest(server.platform.storage, systemClock, {
      appId: CLIENT.id, userId: `bench-owner-${i + k}`, vehicleIds: [`bench-vehicle-${i + k}`], permissions: ['read_odometer'],
    }));
    for (const t of await Promise.all(chunk)) tokens.push(t.refresh_token);
  }
  const profiled = await announce('opencar', { url: server.url, tokenPath: '/oauth/token', tokens });
  const stop = async () => { await profiled(); await server.close(); await database.drop(); rmSync(dir, { recursive: true, force: true }); process.exit(0); };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}

/**
 * A PostgreSQL URL gets a database of its own per run (created beside the one named, dropped at the
 * end), so runs never see each other's rows; a SQLite URL is used as given.
 */
async function ownDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^postgres(ql)?:\/\//.test(url)) return { url, drop: async () => {} };
  const { default: pg } = await import('pg');
  const name = `bench_refresh_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin(`create database ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  return { url: own.toString(), drop: () => admin(`drop database if exists ${name}`) };
}

/** The little of node-oidc-provider 9 this bench uses (the package ships no type declarations). */
interface OidcModel { save(): Promise<string> }
interface OidcGrant extends OidcModel { addOIDCScope(scope: string): void }
interface OidcProvider {
  Client: { find(id: string): Promise<object | undefined> };
  Grant: new (init: { accountId: string; clientId: string }) => OidcGrant;
  RefreshToken: new (init: Record<string, unknown>) => OidcModel;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}
type OidcAdapterFactory = (model: string) => unknown;
interface OidcModules {
  Provider: new (issuer: string, config: Record<string, unknown>) => OidcProvider;
  MemoryAdapter: new (model: string, store: unknown, clockTolerance: number) => unknown;
  LRU: new (opts: { maxSize: number }) => unknown;
}

/** Loads oidc-provider's entry point, its in-memory adapter and that adapter's store class. */
async function loadOidcProvider(): Promise<OidcModules> {
  const load = (specifier: string) => import(specifier) as Promise<{ default: unknown }>;
  const [provider, adapter, lru] = await Promise.all([load('oidc-provider'), load('oidc-provider/lib/adapters/memory_adapter.js'), load('oidc-provider/lib/helpers/lru.js')]);
  return { Provider: provider.default, MemoryAdapter: adapter.default, LRU: lru.default } as OidcModules;
}

/**
 * Child: node-oidc-provider 9 with its own in-memory adapter, configured like opencar. The adapter's
 * default store keeps only the last 1,000 entries (grants, access and refresh tokens alike), far
 * fewer than this load holds at once; the same adapter over the same store class with a cap no run
 * reaches keeps every grant, as opencar's database does.
 */
async function serveOidcProvider(): Promise<void> {
  const { Provider, MemoryAdapter, LRU } = await loadOidcProvider();
  const httpServer = createServer();
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(httpServer.address() as { port: number }).port}`;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const store = new LRU({ maxSize: 50_000_000 });
  const adapter: OidcAdapterFactory = (model) => new MemoryAdapter(model, store, 0);
  const provider = new Provider(url, {
    adapter,
    clients: [{
      client_id: CLIENT.id, client_secret: CLIENT.secret, token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [CLIENT.redirectUri], id_token_signed_response_alg: 'ES256',
    }],
    scopes: ['offline_access'],
    rotateRefreshToken: true,
    ttl: { AccessToken: 7200, RefreshToken: 60 * 24 * 3600, Grant: 60 * 24 * 3600 },
    jwks: { keys: [{ ...key, kid: 'bench', use: 'sig', alg: 'ES256' }] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
    features: { devInteractions: { enabled: false } },
  });
  const client = await provider.Client.find(CLIENT.id);
  if (!client) throw new Error('oidc-provider: the bench client is missing');
  const tokens: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    const accountId = `bench-owner-${i}`;
    const grant = new provider.Grant({ accountId, clientId: CLIENT.id });
    grant.addOIDCScope('offline_access');
    const grantId = await grant.save();
    const rt = new provider.RefreshToken({ accountId, client, grantId, scope: 'offline_access', gty: 'authorization_code' });
    tokens.push(await rt.save());
  }
  httpServer.on('request', provider.callback());
  const profiled = await announce('oidc-provider', { url, tokenPath: '/token', tokens });
  const stop = async () => { await profiled(); process.exit(0); };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}

interface Child { name: string; proc: ChildProcess; ready: Ready }

/** Starts this script in child mode, pinned to core 0, and waits for its READY line. */
function startChild(name: string, mode: string): Promise<Child> {
  const script = fileURLToPath(import.meta.url);
  const node = [process.execPath, ...process.execArgv];
  const argv = [...node.slice(1), script, mode];
  const proc = pin ? spawn('taskset', ['-c', '0', node[0]!, ...argv], { stdio: ['pipe', 'pipe', 'inherit'] }) : spawn(node[0]!, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${name} did not start within 40 s`)); }, 40_000);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited with ${code} before it was ready`)); });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) { process.stderr.write(`[${name}] ${line}\n`); return; }
      clearTimeout(timer);
      resolve({ name, proc, ready: JSON.parse(line.slice('READY '.length)) as Ready });
    });
  });
}

/** Ends a child: closing its stdin asks it to stop; SIGKILL after 5 s. */
function stopChild(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null) { resolve(); return; }
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
    c.proc.once('exit', () => { clearTimeout(timer); resolve(); });
    c.proc.stdin!.end();
  });
}

interface Run { rps: number; p50: number; p99: number; non200: number; errors: number; total: number; rotated: number; cpuMs: number; loadCpuMs: number; ms: number }

/** One phase of load: each request presents the next unused token of the pool; the rotated one goes to the back. */
async function load(child: Child, pool: string[], duration: number): Promise<Run> {
  const authorization = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT.id)}:${encodeURIComponent(CLIENT.secret)}`).toString('base64')}`;
  let non200 = 0;
  let rotated = 0;
  const cpu0 = cpuMs(child);
  const load0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({
    url: child.ready.url, connections, duration, pipelining: 1,
    requests: [{
      method: 'POST', path: child.ready.tokenPath,
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      setupRequest: (req) => {
        // An empty pool (only after failed answers) sends a token no server knows: counted as non-200.
        const token = pool.shift() ?? 'pool-exhausted';
        return { ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}` };
      },
      onResponse: (status, body) => {
        if (status !== 200) { if (non200++ < 3) process.stderr.write(`[${child.name}] ${status} ${body}\n`); return; }
        const next = (JSON.parse(body) as { refresh_token?: string }).refresh_token;
        if (typeof next === 'string') { pool.push(next); rotated++; } else non200++;
      },
    }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non200, errors: r.errors + r.timeouts, total: r.requests.total, rotated, cpuMs: cpuMs(child) - cpu0, loadCpuMs: cpuOf(process.cpuUsage(load0)), ms: performance.now() - t0 };
}

/** CPU time (user + system, all threads) the child has used so far, from /proc (Linux), in ms. */
function cpuMs(child: Child): number {
  try {
    const stat = readFileSync(`/proc/${child.proc.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;
const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

function combine(runs: Run[]): Run {
  const sum = (f: (r: Run) => number) => runs.reduce((a, r) => a + f(r), 0);
  return { rps: sum((r) => r.rps) / runs.length, p50: Math.max(...runs.map((r) => r.p50)), p99: Math.max(...runs.map((r) => r.p99)), non200: sum((r) => r.non200), errors: sum((r) => r.errors), total: sum((r) => r.total), rotated: sum((r) => r.rotated), cpuMs: sum((r) => r.cpuMs), loadCpuMs: sum((r) => r.loadCpuMs), ms: sum((r) => r.ms) };
}

async function main(): Promise<void> {
  if (pin) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const children: Child[] = [];
  try {
    children.push(await startChild('opencar', 'serve-opencar'));
    children.push(await startChild('oidc-provider', 'serve-oidc-provider'));
    const [opencar, oidc] = children as [Child, Child];
    const pools = new Map<Child, string[]>([[opencar, [...opencar.ready.tokens]], [oidc, [...oidc.ready.tokens]]]);
    await load(opencar, pools.get(opencar)!, 2);
    await load(oidc, pools.get(oidc)!, 2);
    // ABBA rounds: a drift in machine speed (other work on a shared machine) weighs on both sides alike.
    const phase = Math.max(1, seconds / (2 * ROUNDS));
    const phases = new Map<Child, Run[]>([[opencar, []], [oidc, []]]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of [opencar, oidc, oidc, opencar]) phases.get(side)!.push(await load(side, pools.get(side)!, phase));
    }
    const a = combine(phases.get(opencar)!);
    const b = combine(phases.get(oidc)!);
    const perGrant = (r: Run) => (r.cpuMs * 1000) / Math.max(1, r.total);
    const row = (label: string, r: Run, p: Run[]) => `${label.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} grants/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(4)} ms   server CPU ${perGrant(r).toFixed(0).padStart(4)} µs/grant (busy ${(100 * r.cpuMs / r.ms).toFixed(0)} %, load generator ${(100 * r.loadCpuMs / r.ms).toFixed(0)} %)   non-200 ${r.non200}   errors ${r.errors}   (phases ${p.map((x) => x.rps.toFixed(0)).join(' / ')})`;
    process.stdout.write([
      `POST /oauth/token grant_type=refresh_token (rotation on, client_secret_basic) — ${connections} connections, ${ROUNDS} ABBA rounds, ${2 * ROUNDS}×${phase} s per side, pool ${poolSize} tokens per side, servers on core 0${pin ? '' : ' (unpinned)'}, opencar on ${process.env.BENCH_DATABASE_URL?.split(':')[0] ?? 'sqlite'}`,
      row('opencar', a, phases.get(opencar)!),
      row('oidc-provider 9', b, phases.get(oidc)!),
      `CPU per grant (oidc-provider / opencar) ${(perGrant(b) / perGrant(a)).toFixed(2)}`,
      `ratio (opencar / oidc-provider) ${(a.rps / b.rps).toFixed(2)} (target ≥ 3.00)`,
      '',
    ].join('\n'));
    if (a.non200 + a.errors + b.non200 + b.errors > 0) process.exitCode = 1;
  } finally {
    await Promise.all(children.map(stopChild));
  }
}

const mode = process.argv[2];
const run = mode === 'serve-opencar' ? serveOpencar : mode === 'serve-oidc-provider' ? serveOidcProvider : main;
run().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
