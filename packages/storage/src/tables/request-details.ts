/**
 * What an API request carried and what it was answered (migration 0048), kept beside the ledger
 * for the request log's detail page. Secrets are masked and bodies size-capped before they are
 * written; rows are purged after OPENCAR_REQUEST_LOG_RETENTION_DAYS.
 */
export interface RequestDetailsTable {
  /** The sc-request-id, the same as the ledger row's. */
  request_id: string;
  app_id: string;
  at: number;
  method: string;
  path: string;
  /** The query string without `?` ('' when none), secret parameters masked. */
  query: string;
  /** JSON object: header name → value (masked). */
  request_headers: string;
  /** null when the request had no body. */
  request_body: string | null;
  /** Size of the whole request body in bytes (before the cap). */
  request_body_bytes: number;
  /** 1 when `request_body` holds only the first part of the body. */
  request_body_truncated: number;
  response_status: number;
  response_headers: string;
  response_body: string | null;
  response_body_bytes: number;
  response_body_truncated: number;
}
