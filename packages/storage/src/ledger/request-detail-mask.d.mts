export declare const MASK: string;
export declare const BODY_CAP_BYTES: number;
export declare const HEADER_VALUE_CAP: number;
export declare const isSecretName: (name: string) => boolean;
export declare function maskHeaders(headers: Record<string, unknown>): Record<string, string>;
export declare function maskQuery(query: string): string;
export declare function maskJson(value: unknown, depth?: number): unknown;
export declare function maskText(text: string): string;
export interface CappedBody { body: string | null; bytes: number; truncated: boolean }
export declare function captureBody(raw: unknown, contentType: string | undefined, cap?: number, sentBytes?: number): CappedBody;
