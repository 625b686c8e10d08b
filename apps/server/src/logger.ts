import { pino, type Logger } from 'pino';
import type { Config } from '@opencar/core';

/**
 * The process logger: human lines through pino-pretty (a pino transport, off the main thread) on a
 * terminal or with LOG_FORMAT=pretty, otherwise one JSON object a line on stdout. Everything the
 * server prints while it runs, the ready banner included, goes through it, so the two forms never mix.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, isTTY = Boolean(process.stdout.isTTY)): Logger {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && isTTY);
  // Synchronous writes: the last lines before process.exit ("stopped cleanly") are never lost.
  if (!pretty) return pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: true }));
  return pino({
    level: config.logLevel,
    transport: { target: 'pino-pretty', options: { destination: 1, colorize: isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' } },
  });
}
