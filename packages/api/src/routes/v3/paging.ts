import { ApiError } from '@opencar/core';

/**
 * v3 collections page in two spellings (wire-contract-v3 §2): `page[number]`/`page[size]` (connections
 * and management lists, `meta.pageNumber`, `links.prev`) and `page`/`pageSize` (the signals example,
 * `meta.page`, `links.previous`). A request may use either; the answer uses the same one, so its key
 * set is always one of the two documented shapes.
 */
export type Spelling = 'bracket' | 'flat';
export interface V3Page { number: number; size: number; spelling: Spelling }

type Query = Record<string, unknown>;

function positive(name: string, raw: unknown, max?: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || (max !== undefined && n > max)) {
    throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `${name} must be an integer from 1${max === undefined ? '' : ` to ${max}`}.` });
  }
  return n;
}

/** The page a request asks for; mixing the spellings is refused. */
export function readPage(query: Query, defaults: { size: number; max: number; spelling: Spelling }): V3Page {
  const bracket = query['page[number]'] !== undefined || query['page[size]'] !== undefined;
  const flat = query.page !== undefined || query.pageSize !== undefined;
  if (bracket && flat) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'Use page[number]/page[size] or page/pageSize, not both.' });
  const spelling: Spelling = bracket ? 'bracket' : flat ? 'flat' : defaults.spelling;
  const number = positive(spelling === 'bracket' ? 'page[number]' : 'page', spelling === 'bracket' ? query['page[number]'] : query.page) ?? 1;
  const size = positive(spelling === 'bracket' ? 'page[size]' : 'pageSize', spelling === 'bracket' ? query['page[size]'] : query.pageSize, defaults.max) ?? defaults.size;
  return { number, size, spelling };
}

/** `meta` and `links` of one page of `total` items at `base` (filters kept in every link). */
export function pageDocument(base: string, filters: Record<string, string>, page: V3Page, total: number, extraMeta: Record<string, unknown> = {}) {
  const last = Math.max(1, Math.ceil(total / page.size));
  const url = (n: number) => {
    const q = new URLSearchParams(filters);
    if (page.spelling === 'bracket') { q.set('page[number]', String(n)); q.set('page[size]', String(page.size)); } else { q.set('page', String(n)); q.set('pageSize', String(page.size)); }
    return `${base}?${q.toString()}`;
  };
  const prev = page.number > 1 ? url(Math.min(page.number - 1, last)) : null;
  const next = page.number < last ? url(page.number + 1) : null;
  if (page.spelling === 'bracket') {
    return {
      meta: { pageNumber: page.number, pageSize: page.size, totalCount: total, ...extraMeta },
      links: { self: url(page.number), first: url(1), prev, next, last: url(last) },
    };
  }
  return {
    meta: { page: page.number, pageSize: page.size, totalCount: total },
    links: { self: url(page.number), first: url(1), previous: prev, next, last: url(last) },
  };
}
