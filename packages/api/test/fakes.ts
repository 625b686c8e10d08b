import Fastify, { type FastifyInstance } from 'fastify';
import { CredentialThrottle, ManualClock, MemoryFailureLog, sha256, type ErrorKey } from '@opencar/core';
import { VehicleError, type Capability, type Ctx, type Reading, type VehicleBackend, type VehicleConnector } from '@opencar/connectors';
import type { AccessContext, Connection, GrantService } from '@opencar/oauth';
import type { AdmitInput, LedgerEntry, Metering } from '@opencar/metering';
import type { WebhookSubscriptions } from '@opencar/webhooks';
import type { App } from '@opencar/storage';
import { openApiRoutes, registerOpenApi, vehicleApi, type ApiDeps } from '../src/index.js';
import { installErrorHandler } from '../../../apps/server/src/plugins/error-handler.js';
import { jsonBody } from '../../../apps/server/src/plugins/json-body.js';
import { strictValidation } from '../../../apps/server/src/plugins/validation.js';
import { requestId } from '../../../apps/server/src/plugins/request-id.js';
import { notFound } from '../../../apps/server/src/plugins/not-found.js';

export const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
export const ALL_PERMISSIONS = [
  'read_vehicle_info', 'read_vin', 'read_location', 'read_odometer', 'read_fuel', 'read_battery', 'read_charge', 'control_charge',
  'read_tires', 'read_engine_oil', 'read_security', 'control_security', 'control_navigation', 'read_service_history',
  'read_diagnostics', 'read_speedometer', 'read_thermometer', 'read_compass',
];
const ALL_CAPS: Capability[] = ['attributes', 'vin', 'location', 'odometer', 'fuel', 'battery', 'battery_capacity', 'nominal_capacity',
  'charge', 'charge_limit', 'set_charge_limit', 'charge_control', 'tires', 'engine_oil', 'lock_status', 'lock_control', 'navigation',
  'service_history', 'diagnostics', 'brand:tesla'];

/** A fake vehicle with fixed metric values; `asleep` makes every data call fail as the simulator would. */
export class FakeConnector implements VehicleConnector {
  readonly name = 'fake';
  asleep = false;
  calls: string[] = [];
  constructor(readonly caps: Set<Capability> = new Set(ALL_CAPS), readonly make = 'TESLA') {}
  private r<T>(method: string, value: T): Promise<Reading<T>> {
    this.calls.push(method);
    if (this.asleep) return Promise.reject(new VehicleError({ kind: 'asleep' }));
    return Promise.resolve({ value, capturedAt: T0 - 60_000, oemUpdatedAt: T0 - 30_000, retrievedAt: T0, source: 'live' });
  }
  private cmd(method: string) {
    this.calls.push(method);
    if (this.asleep) return Promise.reject(new VehicleError({ kind: 'asleep' }));
    return Promise.resolve({ completedAt: T0 });
  }
  identity = async () => ({ vin: '5YJ3E1EA7KF000001', make: this.make, model: 'Model 3', year: 2022 });
  capabilities = async () => this.caps;
  location = () => this.r('location', { latitude: 52.5, longitude: 13.4 });
  odometer = () => this.r('odometer', { distance: 16093.44 });
  fuel = () => this.r('fuel', { range: 321.8688, percentRemaining: 0.5, amountRemaining: 37.85411784 });
  battery = () => this.r('battery', { range: 160.9344, percentRemaining: 0.8 });
  batteryCapacity = () => this.r('batteryCapacity', { capacity: 75 });
  nominalCapacity = () => this.r('nominalCapacity', { availableCapacities: [{ capacity: 75, description: null }], capacity: { nominal: 75, source: 'SMARTCAR' as const }, url: null });
  chargeStatus = () => this.r('chargeStatus', { isPluggedIn: true, state: 'CHARGING' as const, secretExtra: 1 });
  chargeLimit = () => this.r('chargeLimit', { limit: 0.8 });
  setChargeLimit = (_c: Ctx, limit: number) => { this.calls.push(`setChargeLimit:${limit}`); return this.cmd('set'); };
  chargeControl = (_c: Ctx, a: string) => this.cmd(`chargeControl:${a}`);
  tirePressure = () => this.r('tirePressure', { frontLeft: 250, frontRight: 250, backLeft: 240, backRight: 240 });
  engineOil = () => this.r('engineOil', { lifeRemaining: 0.35 });
  lockStatus = () => this.r('lockStatus', { isLocked: true, doors: [{ type: 'frontLeft', status: 'CLOSED' as const }], windows: [], sunroof: [], storage: [], chargingPort: [] });
  lockControl = (_c: Ctx, a: string) => this.cmd(`lockControl:${a}`);
  sendDestination = (_c: Ctx, lat: number, lon: number) => this.cmd(`sendDestination:${lat},${lon}`);
  serviceHistory = (_c: Ctx, range: { start?: string; end?: string }) => this.r(`serviceHistory:${range.start}:${range.end}`, [{
    serviceId: 1, serviceDate: '2026-01-02T00:00:00.000Z', odometerDistance: 1609.344,
    serviceTasks: [{ taskId: '1', taskDescription: 'Oil change' }], serviceDetails: [], serviceCost: { totalCost: 100, currency: 'USD' },
  }]);
  systemStatus = () => this.r('systemStatus', { systems: [{ systemId: 'SYSTEM_TPMS', status: 'OK' as const, description: null }] });
  dtcs = () => this.r('dtcs', { activeCodes: [{ code: 'P302D', timestamp: null }] });
  brandRequest = (_c: Ctx, make: string, req: { method: string; path: string }) =>
    this.r(`brand:${make}:${req.method} ${req.path}`, req.path === 'speedometer' ? { speed: 100, hidden: true } : { temperature: 20 } as unknown);
}

export interface World {
  deps: ApiDeps;
  clock: ManualClock;
  tokens: Map<string, AccessContext>;
  connectors: Map<string, FakeConnector>;
  ledger: LedgerEntry[];
  admits: AdmitInput[];
  /** Make the next admit throw this error key. */
  rejectNext: { key?: ErrorKey };
  webhookIds: Set<string>;
  subscriptions: Set<string>;
  connections: Connection[];
}

export const APP: App = {
  id: 'app-1', developerId: 'dev-1', name: 'Test app', logoUrl: null, clientSecretHash: sha256('secret-1'), amtHash: sha256('amt-1'),
  amtEnc: '', redirectUris: [], defaultScope: [], mode: 'live', simLatency: null, createdAt: T0, updatedAt: T0,
};

export function access(over: Partial<AccessContext> = {}): AccessContext {
  return {
    tokenId: 't', grantId: 'g', appId: APP.id, userId: 'user-1', mode: 'live', permissions: new Set(ALL_PERMISSIONS),
    vehicleIds: ['00000000-0000-4000-8000-000000000001'], expiresAt: T0 + 3_600_000, ...over,
  };
}

export function world(): World {
  const clock = new ManualClock(T0);
  const tokens = new Map<string, AccessContext>([
    ['tok-all', access()],
    ['tok-none', access({ permissions: new Set() })],
    ['tok-other-owner', access({ userId: 'user-2', vehicleIds: ['00000000-0000-4000-8000-000000000002'] })],
    ['tok-ice', access({ vehicleIds: ['00000000-0000-4000-8000-00000000000e'] })],
  ]);
  const connectors = new Map<string, FakeConnector>([
    ['00000000-0000-4000-8000-000000000001', new FakeConnector()],
    ['00000000-0000-4000-8000-000000000002', new FakeConnector()],
    ['00000000-0000-4000-8000-00000000000e', new FakeConnector(new Set<Capability>(['attributes', 'vin', 'odometer', 'fuel', 'engine_oil', 'location']), 'FORD')],
  ]);
  const w: World = {
    clock, tokens, connectors, ledger: [], admits: [], rejectNext: {}, webhookIds: new Set(['wh-1']), subscriptions: new Set(),
    connections: [
      { userId: 'user-1', vehicleId: '00000000-0000-4000-8000-000000000001', appId: APP.id, grantId: 'g', mode: 'live', permissions: [], connectedAt: T0 - 1000 },
      { userId: 'user-2', vehicleId: '00000000-0000-4000-8000-000000000002', appId: APP.id, grantId: 'g2', mode: 'live', permissions: [], connectedAt: T0 },
    ],
    deps: undefined as unknown as ApiDeps,
  };
  const grants: GrantService = {
    verifyAccessToken: async (t) => tokens.get(t),
    listConnections: async (appId, filter, page) => {
      const all = w.connections.filter((c) => c.appId === appId && (!filter.userId || c.userId === filter.userId) && (!filter.vehicleId || c.vehicleId === filter.vehicleId))
        .sort((a, b) => b.connectedAt - a.connectedAt);
      const start = page.cursor ? Number(page.cursor) : 0;
      const slice = all.slice(start, start + page.limit);
      return { connections: slice, cursor: start + page.limit < all.length ? String(start + page.limit) : null };
    },
    deleteConnections: async (appId, filter) => {
      const removed = w.connections.filter((c) => c.appId === appId && (!filter.userId || c.userId === filter.userId) && (!filter.vehicleId || c.vehicleId === filter.vehicleId));
      w.connections = w.connections.filter((c) => !removed.includes(c));
      for (const [t, a] of tokens) {
        if (a.appId === appId) tokens.set(t, { ...a, vehicleIds: a.vehicleIds.filter((v) => !removed.some((r) => r.vehicleId === v && r.userId === a.userId)) });
      }
      return removed.map((r) => ({ userId: r.userId, vehicleId: r.vehicleId }));
    },
    ownerConnections: async () => [], appVehicleIds: async () => [], revokeApp: async () => {},
  };
  const backend: VehicleBackend = {
    brands: () => [], brandAvailable: () => false, signIn: async () => ({ ok: false, reason: 'bad_credentials' }), addEventSink: () => {},
    models: () => [
      { make: 'TESLA', model: 'Model 3', startYear: 2017, endYear: 2026, powertrain: 'BEV', batteryKwh: 75, tankLiters: null, regions: ['US', 'EUROPE'], capabilities: ALL_CAPS.filter((c) => c !== 'fuel' && c !== 'engine_oil') },
      { make: 'FORD', model: 'F-150', startYear: 2018, endYear: 2026, powertrain: 'ICE', batteryKwh: null, tankLiters: 98, regions: ['US'], capabilities: ['attributes', 'vin', 'odometer', 'fuel', 'engine_oil', 'location'] },
    ],
    capabilitiesForVin: (vin) => vin.startsWith('5YJ') ? { make: 'TESLA', model: 'Model 3', year: 2022, capabilities: ['odometer', 'battery', 'charge'] }
      : vin.startsWith('ZZZ') ? { incompatible: 'MAKE_NOT_COMPATIBLE' } : undefined,
    vehicle: async () => undefined,
    connector: async (id) => connectors.get(id),
  };
  const metering: Metering = {
    admit: async (input) => {
      w.admits.push(input);
      const key = w.rejectNext.key;
      if (key) { w.rejectNext.key = undefined; const { ApiError } = await import('@opencar/core'); throw new ApiError(key, { retryAfter: 30 }); }
      return { 'ratelimit-limit': '120', 'ratelimit-remaining': '119', 'ratelimit-reset': '30' };
    },
    record: async (e) => { w.ledger.push(e); },
  };
  const webhooks: WebhookSubscriptions = {
    subscribe: async (appId, id, v) => { if (appId !== APP.id || !w.webhookIds.has(id)) return false; w.subscriptions.add(`${id}:${v}`); return true; },
    unsubscribe: async (appId, id, v) => appId === APP.id && w.subscriptions.delete(`${id}:${v}`),
  };
  const accounts = {
    getApp: async (id: string) => (id === APP.id ? APP : undefined),
    findAppByAmtHash: async (h: string) => (h === APP.amtHash ? APP : undefined),
  };
  w.deps = { config: { publicUrl: 'http://opencar.test' }, clock, grants, backend, metering, webhooks, accounts, throttle: new CredentialThrottle(new MemoryFailureLog(), clock), secretKey: 'test-secret-key-0123456789' };
  return w;
}

/** The API plugin on a bare Fastify with the server's root hooks (request id, JSON body, error rendering). */
export async function apiApp(w: World, opts: { docs?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true }, genReqId: () => crypto.randomUUID() });
  requestId(app);
  jsonBody(app);
  strictValidation(app);
  installErrorHandler(app, 'http://opencar.test');
  notFound(app);
  await registerOpenApi(app, { publicUrl: 'http://opencar.test' });
  if (opts.docs) await app.register(openApiRoutes);
  await app.register(vehicleApi(w.deps));
  await app.ready();
  return app;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
