import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, type Env } from './config.js';

/**
 * The environment the composition root reads: the variables of `.env` in `dir` (when the file
 * exists) under the process environment, which wins for every variable set in both. The file is
 * parsed with Node's own dotenv reader (`util.parseEnv`); nothing is written back to process.env.
 */
export function withEnvFile(env: Env, dir: string): Env {
  const file = join(dir, '.env');
  if (!existsSync(file)) return env;
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new ConfigError('.env', `cannot be read (${(err as Error).message})`);
  }
  const merged: Env = { ...parsed };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}
