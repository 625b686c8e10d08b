import type { Logger } from 'pino';
import type { SelfTestCheck } from '@opencar/connectors';

/** Start-up: each connector self-test finding in the log, at the level its status calls for. */
export async function logSelfTest(log: Logger, checks: SelfTestCheck[]): Promise<void> {
  for (const c of checks) {
    const entry = { connector: 'tesla', check: c.check, ...(c.fix ? { fix: c.fix } : {}) };
    if (c.status === 'fail') log.error(entry, c.message);
    else if (c.status === 'warn') log.warn(entry, c.message);
    else log.info(entry, c.message);
  }
}
