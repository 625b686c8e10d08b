/** Minimal typing of the official `smartcar` Node SDK v10 as the end-to-end tests use it (the package ships none). */
declare module 'smartcar' {
  export interface Meta { requestId?: string; dataAge?: Date; fetchedAt?: Date; unitSystem?: string }
  export interface Access { accessToken: string; refreshToken: string; expiration: Date; refreshExpiration: Date }
  export class SmartcarError extends Error {
    statusCode: number; type?: string; code?: string | null; description?: string; requestId?: string; retryAfter?: string;
    resolution?: { type: string | null; url?: string }; detail?: unknown[]; docURL?: string; suggestedUserMessage?: string;
  }
  export class AuthClient {
    constructor(opts: { clientId: string; clientSecret: string; redirectUri?: string; mode?: string });
    getAuthUrl(scope?: string[], options?: Record<string, unknown>): string;
    exchangeCode(code: string, options?: Record<string, unknown>): Promise<Access>;
    exchangeRefreshToken(token: string, options?: Record<string, unknown>): Promise<Access>;
  }
  type Result = Record<string, unknown> & { meta: Meta };
  export class Vehicle {
    constructor(id: string, token: string, opts?: { unitSystem?: 'metric' | 'imperial'; version?: string; flags?: Record<string, unknown> });
    id: string;
    attributes(): Promise<Result>; vin(): Promise<Result>; location(): Promise<Result>; odometer(): Promise<Result>; fuel(): Promise<Result>;
    battery(): Promise<Result>; batteryCapacity(): Promise<Result>; nominalCapacity(): Promise<Result>; charge(): Promise<Result>;
    tirePressure(): Promise<Result>; engineOil(): Promise<Result>; lockStatus(): Promise<Result>; diagnosticSystemStatus(): Promise<Result>;
    diagnosticTroubleCodes(): Promise<Result>; getChargeLimit(): Promise<Result>; permissions(paging?: { limit?: number; offset?: number }): Promise<Result>;
    serviceHistory(start?: string, end?: string): Promise<Result>; lock(): Promise<Result>; unlock(): Promise<Result>; startCharge(): Promise<Result>;
    stopCharge(): Promise<Result>; setChargeLimit(limit: number): Promise<Result>; sendDestination(lat: number, lon: number): Promise<Result>;
    disconnect(): Promise<Result>; subscribe(webhookId: string): Promise<Result>; unsubscribe(amt: string, webhookId: string): Promise<Result>;
    batch(paths: string[]): Promise<Record<string, () => Result>>;
    request(method: string, path: string, body?: unknown, headers?: Record<string, string>, apiVersion?: string): Promise<{ body: unknown; meta: Meta }>;
    getSignals(): Promise<{ body: Record<string, unknown>; headers: Record<string, string> }>;
    getSignal(code: string): Promise<{ body: Record<string, unknown>; headers: Record<string, string> }>;
  }
  const smartcar: {
    AuthClient: typeof AuthClient; Vehicle: typeof Vehicle; SmartcarError: typeof SmartcarError;
    getVehicles(token: string, paging?: { limit?: number; offset?: number }): Promise<Result>;
    getUser(token: string): Promise<Result>;
    getVehicle(token: string, vehicleId: string): Promise<{ body: Record<string, unknown>; headers: Record<string, string> }>;
    getCompatibility(vin: string, scope: string[], countryOrOptions?: string | Record<string, unknown>, options?: Record<string, unknown>): Promise<Result>;
    getCompatibilityMatrix(region: string, options?: Record<string, unknown>): Promise<Result>;
    getConnections(amt: string, filter?: { userId?: string; vehicleId?: string }, paging?: { limit?: number; cursor?: string }): Promise<Result>;
    deleteConnections(amt: string, filter: { userId?: string; vehicleId?: string }): Promise<Result>;
    hashChallenge(amt: string, challenge: string): string;
    verifyPayload(amt: string, signature: string, body: unknown): boolean;
    setApiVersion(v: string): void; getApiVersion(): string;
  };
  export default smartcar;
}
