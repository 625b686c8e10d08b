import type { RequestDetailRow } from '../repos/request-details.js';

/** What the API hands over of one finished request (metering's RequestDetail). */
export interface RawRequestDetail {
  requestId: string; appId: string; at: number; method: string; url: string;
  requestHeaders: Record<string, unknown>; requestBody: unknown;
  status: number; responseHeaders: Record<string, unknown>; responseBody: unknown;
}
export declare function pushRawDetail(params: unknown[], d: RawRequestDetail): void;
export declare function completeDetailColumns(params: unknown[], onSkip?: (requestId: string, err: unknown) => void): unknown[];
export declare function detailRowOf(params: unknown[], at?: number): RequestDetailRow;
