import { catalogueEntry, docUrl, type ErrorKey } from './errors.js';

export interface Resolution { type: string | null; url?: string }

export interface ApiErrorOptions {
  description?: string;
  detail?: unknown[];
  resolutionUrl?: string;
  /** Seconds; rendered as the `retry-after` header. */
  retryAfter?: number;
  /** Internal reason; logged, never serialised. */
  cause?: unknown;
  /** Extra response headers (e.g. ratelimit-*). */
  headers?: Record<string, string>;
}

/** A v2.0 API error. The public part is what SmartcarError reads; `cause` stays internal. */
export class ApiError extends Error {
  readonly key: ErrorKey;
  readonly type: string;
  readonly code: string | null;
  readonly statusCode: number;
  readonly description: string;
  readonly resolution: Resolution;
  readonly suggestedUserMessage: string;
  readonly detail?: unknown[];
  readonly retryAfter?: number;
  readonly headers?: Record<string, string>;

  constructor(key: ErrorKey, opts: ApiErrorOptions = {}) {
    const entry = catalogueEntry(key);
    const description = opts.description ?? entry.description;
    super(`${entry.type}:${entry.code} - ${description}`, { cause: opts.cause });
    this.name = 'ApiError';
    this.key = key;
    this.type = entry.type;
    this.code = entry.code;
    this.statusCode = entry.status;
    this.description = description;
    this.resolution = opts.resolutionUrl ? { type: entry.resolution, url: opts.resolutionUrl } : { type: entry.resolution };
    this.suggestedUserMessage = entry.suggestedUserMessage;
    this.detail = opts.detail;
    this.retryAfter = opts.retryAfter;
    this.headers = opts.headers;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** The exact v2.0 error body (wire-contract §8.1): `code` is JSON null when the catalogue says so. */
export function apiErrorBody(err: ApiError, requestId: string, publicUrl: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: err.type,
    code: err.code,
    description: err.description,
    docURL: docUrl(publicUrl, err.type, err.code),
    statusCode: err.statusCode,
    requestId,
    resolution: err.resolution,
    suggestedUserMessage: err.suggestedUserMessage,
  };
  if (err.detail) body.detail = err.detail;
  return body;
}
