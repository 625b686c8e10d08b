import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { ConfigError, TESLA_REGIONS, loadConfig, systemClock, type TeslaRegion } from '@opencar/core';
import { openStorage } from '@opencar/storage';
import { PUBLIC_KEY_PATH, TeslaBackend } from '@opencar/connectors';
import { teslaRedirectUri } from './platform.js';
import { loadOrCreateSecretKey } from './provision.js';

/**
 * `npm run tesla -- <command>`: the operator's Tesla setup, with the same configuration and
 * database as the server.
 *   keys [--force]          generate the command key pair (kept unless --force)
 *   export-key <file>       write the private key (PEM) for tesla-http-proxy's -key-file
 *   register [--region r]   partner registration in one region (default: every region)
 *   self-test               check the configuration and setup without calling Tesla
 */
const USAGE = 'usage: npm run tesla -- keys [--force] | export-key <file> | register [--region na|eu|cn] | self-test';

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || !['keys', 'export-key', 'register', 'self-test'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config = loadConfig(process.env);
  const log = pino({ level: 'warn' });
  const secretKey = config.secretKey ?? loadOrCreateSecretKey(config.dataDir, log);
  config = loadConfig({ ...process.env, OPENCAR_SECRET_KEY: secretKey });
  if (!config.tesla) {
    process.stderr.write('OPENCAR_TESLA_CLIENT_ID is not set: configure the Tesla connector first (docs/connectors/tesla.md).\n');
    return 1;
  }
  const storage = await openStorage(config.databaseUrl);
  const tesla = new TeslaBackend({ config: config.tesla, storage, clock: systemClock, secretKey, redirectUri: teslaRedirectUri(config.publicUrl), log });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    switch (command) {
      case 'keys': {
        const { publicPem, created } = await tesla.keys.generate({ force: args.includes('--force') });
        out(created ? 'Generated a new key pair.' : 'A key pair exists already (use --force to replace it; paired cars must then pair again).');
        out(`Public key, served at ${config.publicUrl}${PUBLIC_KEY_PATH}:`);
        out(publicPem.trim());
        return 0;
      }
      case 'export-key': {
        const file = args[0];
        if (!file) { process.stderr.write(`${USAGE}\n`); return 2; }
        const pem = await tesla.keys.privatePem();
        if (!pem) { process.stderr.write('No key pair yet: run `npm run tesla -- keys` first.\n'); return 1; }
        writeFileSync(file, pem, { mode: 0o600 });
        out(`Private key written to ${file} (mode 600). Start the proxy with: tesla-http-proxy -key-file ${file} -cert <tls-cert> -tls-key <tls-key>`);
        return 0;
      }
      case 'register': {
        const i = args.indexOf('--region');
        const wanted = i >= 0 ? args[i + 1] : undefined;
        if (wanted !== undefined && !(TESLA_REGIONS as readonly string[]).includes(wanted)) { process.stderr.write(`${USAGE}\n`); return 2; }
        const regions: TeslaRegion[] = wanted ? [wanted as TeslaRegion] : [...TESLA_REGIONS];
        let failed = 0;
        for (const r of regions) {
          try {
            const reg = await tesla.registerPartner(r);
            out(`${r}: registered ${reg.domain}${reg.keyMatches ? '' : ' — but Tesla holds a different public key for it: is the served key reachable at the domain?'}`);
          } catch (err) {
            failed++;
            out(`${r}: not registered: ${(err as Error).message}`);
          }
        }
        return failed ? 1 : 0;
      }
      default: {
        const checks = await tesla.selfTest(config.publicUrl);
        for (const c of checks) out(`${c.status.padEnd(4)} ${c.check}: ${c.message}${c.fix ? `\n     fix: ${c.fix}` : ''}`);
        return checks.some((c) => c.status === 'fail') ? 1 : 0;
      }
    }
  } finally {
    await tesla.close();
    await storage.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`opencar tesla: ${err instanceof ConfigError ? `invalid configuration: ${err.message}` : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
