import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, freePort } from '@opencar/e2e';

const work = mkdtempSync(join(tmpdir(), 'opencar-pack-'));
const hadDist = existsSync(join(REPO_ROOT, 'dist'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  // `npm pack` built dist/ in the checkout; leave the checkout as it was (npm start falls back to tsx).
  if (!hadDist) rmSync(join(REPO_ROOT, 'dist'), { recursive: true, force: true });
});

const SCRIPT = join(REPO_ROOT, 'scripts/install-and-start.sh');

/**
 * What CI, the Dockerfile and a manual installation do: `npm pack` (which runs the build), the
 * install script into an empty folder, then `npx opencar start` there through the same script.
 */
describe('the packed package, installed into an empty folder', () => {
  it('installs without engine warnings and runs with npx opencar start', async () => {
    execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 120_000 });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^opencar-\d+\.\d+\.\d+\.tgz$/);
    const listing = execFileSync('tar', ['-tzf', join(work, tarball!)], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    expect(listing).toEqual(expect.arrayContaining(['package/bin/opencar.js', 'package/dist/server/opencar.js', 'package/dist/ledger/ledger-worker.mjs', 'package/scripts/install-and-start.sh']));
    expect(listing.some((f) => f.includes('/src/') || f.includes('test'))).toBe(false);

    const dir = join(work, 'installation');
    const installed = execFileSync('bash', [SCRIPT, 'install', join(work, tarball!), dir], { encoding: 'utf8', stdio: 'pipe', timeout: 420_000, env: { ...process.env, npm_config_loglevel: 'warn' } });
    expect(installed).not.toMatch(/EBADENGINE/);
    expect(existsSync(join(dir, 'node_modules/opencar/dist/server/opencar.js'))).toBe(true);

    const port = await freePort();
    writeFileSync(join(dir, '.env'), `PORT=${port}\nOPENCAR_SECRET_KEY=packed-install-secret-0123456789\nLOG_FORMAT=json\n`);
    const child = spawn('bash', [SCRIPT, 'start', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' }, detached: true });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    try {
      let health = 0;
      for (let i = 0; i < 300 && health !== 200; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (health !== 200) await new Promise((r) => setTimeout(r, 200));
        if (child.exitCode !== null) break;
      }
      expect(health, out).toBe(200);
      expect(out).toContain('opencar is ready');
      // The compiled build, not the TypeScript sources, and the data dir inside the installation.
      expect(existsSync(join(dir, 'data/opencar.db'))).toBe(true);
      const status = execFileSync('npx', ['--no-install', 'opencar', '--json', 'status'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(JSON.parse(status)).toMatchObject({ via: 'server', developers: 1, apps: 1 });
    } finally {
      // npx runs the bin in a child of its own: signal the whole group, wait until every writer of the output is gone.
      const closed = new Promise((r) => child.once('close', r));
      if (child.pid) try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      await closed;
    }
    expect(out).toContain('stopped cleanly');
  }, 540_000);
});

describe('the container recipe', () => {
  it('the Dockerfile installs and starts with the same script as the packed-install test; compose wires PostgreSQL', async () => {
    const { readFileSync } = await import('node:fs');
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('npm pack --pack-destination /pack');
    expect(dockerfile).toMatch(/RUN bash scripts\/install-and-start\.sh install .* \/opt\/opencar/);
    expect(dockerfile).toContain('CMD ["opencar-install-and-start", "start", "/opt/opencar"]');
    const compose = readFileSync(join(REPO_ROOT, 'compose.yaml'), 'utf8');
    expect(compose).toMatch(/DATABASE_URL: postgres:\/\/opencar:opencar@postgres:5432\/opencar/);
    expect(compose).toContain('OPENCAR_SECRET_KEY: ${OPENCAR_SECRET_KEY:?');
  });
});
