/** Why an operation was refused; the CLI maps each kind to its exit status, the admin interface to an HTTP status. */
export type OperationErrorKind = 'invalid' | 'not_found' | 'conflict';

export class OperationError extends Error {
  constructor(readonly kind: OperationErrorKind, message: string) {
    super(message);
    this.name = 'OperationError';
  }
}

export const HTTP_STATUS: Record<OperationErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409 };
