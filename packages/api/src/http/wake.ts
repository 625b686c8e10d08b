import { ApiError } from '@opencar/core';

/**
 * Request header `sc-allow-wake: true|false` (any case): whether a read may wake a sleeping
 * vehicle. Absent: the backend's default (a read may wake the car within its wake budget).
 */
export function requestedWake(header: string | string[] | undefined): boolean | undefined {
  if (header === undefined) return undefined;
  const v = (Array.isArray(header) ? header[0] ?? '' : header).trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ApiError('VALIDATION', { description: 'The sc-allow-wake header must be true or false.', detail: [{ field: 'sc-allow-wake', message: 'must be true or false' }] });
}
