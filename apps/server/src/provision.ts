import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { encryptSecret, randomToken, sha256, uuid, hashPassword, type Clock, type Config } from '@opencar/core';
import { AccountsRepo, type Storage } from '@opencar/storage';
import { DEMO_DEVELOPER_EMAIL } from '@opencar/web';

export interface ProvisionedCredentials {
  kind: 'seed' | 'demo';
  clientId: string;
  /** Known only for the demo app (kept in the data dir) — seeded secrets come from the environment. */
  clientSecret?: string;
  amt?: string;
  redirectUris: string[];
  developerEmail: string;
  developerPassword?: string;
}

const SEED_DEVELOPER = 'seed@opencar.local';
const DEMO_DEVELOPER = DEMO_DEVELOPER_EMAIL;
export const DEFAULT_SCOPE = ['read_vehicle_info', 'read_vin', 'read_odometer', 'read_location', 'read_battery', 'read_charge', 'read_fuel', 'read_security'];

/**
 * Makes sure the configured seed application exists with exactly the configured credentials
 * (idempotent across restarts and processes), or, without seed variables, that a demo developer and
 * demo app exist. Returns what to print.
 */
export async function provision(config: Readonly<Config>, storage: Storage, clock: Clock, secretKey: string, log: Logger): Promise<ProvisionedCredentials> {
  const repo = new AccountsRepo(storage.db);
  if (config.seed) {
    const s = config.seed;
    await storage.db.transaction().execute(async (trx) => {
      const tx = new AccountsRepo(trx);
      const developerId = await ensureDeveloper(tx, SEED_DEVELOPER, 'Seed developer', null, clock);
      const existing = await tx.getApp(s.clientId);
      const secrets = { clientSecretHash: sha256(s.clientSecret), amtHash: sha256(s.amt), amtEnc: encryptSecret(secretKey, s.amt), redirectUris: s.redirectUris };
      if (!existing) {
        await tx.createApp({ id: s.clientId, developerId, name: 'Seeded application', logoUrl: null, defaultScope: DEFAULT_SCOPE, mode: 'simulated', simLatency: null, ...secrets }, clock.now());
        log.info({ clientId: s.clientId }, 'seed application created');
      } else if (existing.clientSecretHash !== secrets.clientSecretHash || existing.amtHash !== secrets.amtHash
        || JSON.stringify(existing.redirectUris) !== JSON.stringify(s.redirectUris)) {
        await tx.updateApp(s.clientId, secrets, clock.now());
        log.info({ clientId: s.clientId }, 'seed application credentials updated');
      }
    }).catch(async (err) => {
      // Another process seeded at the same moment: what it wrote is what we wanted.
      if (!(await repo.getApp(s.clientId))) throw err;
    });
    return { kind: 'seed', clientId: s.clientId, redirectUris: s.redirectUris, developerEmail: SEED_DEVELOPER };
  }
  return ensureDemo(config, repo, clock, secretKey, log);
}

async function ensureDeveloper(repo: AccountsRepo, email: string, name: string, passwordHash: string | null, clock: Clock): Promise<string> {
  const found = await repo.findDeveloperByEmail(email);
  if (found) return found.id;
  const id = uuid();
  await repo.createDeveloper({ id, email, password_hash: passwordHash, name, tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: clock.now() });
  return id;
}

interface DemoFile { clientId: string; clientSecret: string; amt: string; password: string }

async function ensureDemo(config: Readonly<Config>, repo: AccountsRepo, clock: Clock, secretKey: string, log: Logger): Promise<ProvisionedCredentials> {
  const persistent = !config.databaseUrl.endsWith(':memory:');
  const file = join(config.dataDir, 'demo-credentials.json');
  let demo: DemoFile | undefined = persistent && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as DemoFile : undefined;
  if (demo && (await repo.getApp(demo.clientId))) {
    return demoCredentials(demo, config);
  }
  demo = { clientId: uuid(), clientSecret: randomToken(24), amt: uuid(), password: randomToken(12) };
  const passwordHash = await hashPassword(demo.password);
  const developerId = await ensureDeveloper(repo, DEMO_DEVELOPER, 'Demo developer', passwordHash, clock);
  await repo.updateDeveloper(developerId, { password_hash: passwordHash });
  await repo.createApp({
    id: demo.clientId, developerId, name: 'Demo app', logoUrl: null, clientSecretHash: sha256(demo.clientSecret),
    amtHash: sha256(demo.amt), amtEnc: encryptSecret(secretKey, demo.amt), redirectUris: demoRedirects(config),
    defaultScope: DEFAULT_SCOPE, mode: 'simulated', simLatency: null,
  }, clock.now());
  if (persistent) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  }
  log.warn('created a demo developer and demo app; set OPENCAR_SEED_* to provision your own');
  return demoCredentials(demo, config);
}

function demoRedirects(config: Readonly<Config>): string[] {
  return [`${config.publicUrl}/connect/demo-callback`, 'http://localhost:8000/callback'];
}

function demoCredentials(d: DemoFile, config: Readonly<Config>): ProvisionedCredentials {
  return { kind: 'demo', clientId: d.clientId, clientSecret: d.clientSecret, amt: d.amt, redirectUris: demoRedirects(config), developerEmail: DEMO_DEVELOPER, developerPassword: d.password };
}

/** OPENCAR_SECRET_KEY, or a key generated once and kept in the data dir. */
export function loadOrCreateSecretKey(dataDir: string, log: Logger): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomToken(32);
  writeFileSync(file, key + '\n', { mode: 0o600 });
  log.warn({ file }, 'OPENCAR_SECRET_KEY is not set: generated a key and stored it in the data dir. Set OPENCAR_SECRET_KEY in production and keep it safe; secrets at rest cannot be read without it.');
  return key;
}
