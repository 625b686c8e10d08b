import pg from 'pg';

/** A start-up problem with the database the operator can fix; the message is one line naming the fix. */
export class DatabaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseSetupError';
  }
}

const code = (err: unknown) => (err as { code?: string }).code;
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Makes sure the database of a `postgres://` URL exists: when the server answers that it does not
 * (3D000), creates it through the `postgres` maintenance database if the role may, and otherwise
 * says which `createdb` to run. Returns true when it created the database. Unreachable servers and
 * refused credentials become one-line errors naming DATABASE_URL.
 */
export async function ensurePostgresDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1)) || decodeURIComponent(target.username) || 'postgres';
  try {
    await tryConnect(url);
    return false;
  } catch (err) {
    if (code(err) !== '3D000') throw describeConnectError(err, target);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  let role = decodeURIComponent(target.username);
  try {
    await client.connect();
    role = ((await client.query<{ r: string }>('select current_user as r')).rows[0]?.r) ?? role;
    await client.query(`create database ${quoteIdent(name)}`);
    return true;
  } catch (err) {
    // Another process created it at the same moment: that is what we wanted.
    if (code(err) === '42P04') return false;
    const who = role ? `role "${role}"` : 'the connecting role';
    throw new DatabaseSetupError(`the PostgreSQL database "${name}" does not exist and ${who} may not create it (${(err as Error).message}); create it with: ${createdbCommand(target, name, role)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function tryConnect(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

function createdbCommand(u: URL, name: string, owner: string): string {
  const parts = ['createdb'];
  if (u.hostname) parts.push('-h', u.hostname);
  if (u.port) parts.push('-p', u.port);
  parts.push('-U', '<a role allowed to create databases>');
  if (owner) parts.push('-O', owner);
  parts.push(name);
  return parts.join(' ');
}

function describeConnectError(err: unknown, u: URL): Error {
  const where = `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  const c = code(err);
  if (c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'ETIMEDOUT' || c === 'EHOSTUNREACH') {
    return new DatabaseSetupError(`cannot reach PostgreSQL at ${where} (${c}); start it or correct the host and port in DATABASE_URL`);
  }
  if (c === '28P01' || c === '28000') {
    return new DatabaseSetupError(`PostgreSQL at ${where} refused role "${decodeURIComponent(u.username) || '(default)'}" (${(err as Error).message}); correct the user and password in DATABASE_URL`);
  }
  if (/timeout/i.test((err as Error).message ?? '')) {
    return new DatabaseSetupError(`PostgreSQL at ${where} did not answer within 10 s; check the host and port in DATABASE_URL`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
