import { OperationError, type OperationErrorKind } from '../operations/index.js';

/** Exit statuses of `opencar`, documented in the README. */
export const EXIT = {
  ok: 0,
  /** Something failed (doctor: at least one check failed). */
  failed: 1,
  /** Bad usage: unknown command or option, invalid value. */
  usage: 2,
  /** The developer or app named does not exist. */
  notFound: 3,
  /** Refused in the current state (e.g. a terminated account, a restore over a non-empty database). */
  conflict: 4,
  /** The database or the running server could not be reached or opened. */
  unavailable: 5,
} as const;

const BY_KIND: Record<OperationErrorKind, number> = { invalid: EXIT.usage, not_found: EXIT.notFound, conflict: EXIT.conflict };

/** A failure the CLI reports as one line with its exit status. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof OperationError) return BY_KIND[err.kind];
  return EXIT.failed;
}
