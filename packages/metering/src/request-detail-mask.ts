/**
 * Masking and size-capping of what the request log keeps of a request and its response: the
 * implementation lives beside the ledger writer thread (packages/storage/src/ledger/request-detail-mask.mjs),
 * which masks request detail off the main thread; the main thread uses the same code where there is no thread.
 */
export { BODY_CAP_BYTES, HEADER_VALUE_CAP, MASK, captureBody, isSecretName, maskHeaders, maskJson, maskQuery, maskText, type CappedBody } from '@opencar/storage';
