/**
 * The request behind every example of the OpenAPI document: one entry per operation, in the order they
 * run against a simulated platform (later entries may use what earlier ones answered; destructive ones
 * come last). A new operation needs one entry here, then
 * `OPENCAR_WRITE_EXAMPLES=1 npx vitest run packages/api/test/openapi-examples.test.ts` records its example.
 */
/** none; the owner's access token (of the plug-in hybrid, or of the Tesla); the v3 application token; client id and secret (Basic); the management token (Basic, or as a bearer token). */
export type Auth = 'none' | 'user' | 'user-tesla' | 'app' | 'client' | 'management' | 'management-bearer';

export interface ExampleRequest {
  auth: Auth;
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json). */
  body?: unknown;
  /** A form body (sent as application/x-www-form-urlencoded). */
  form?: Record<string, string>;
}

export interface Fixtures {
  /** A simulated Ford plug-in hybrid and a simulated Tesla, each connected by its own owner. */
  vehicleId: string;
  teslaId: string;
  userId: string;
  teslaUserId: string;
  /** Two more owners, one for each call that ends everything of an owner or a vehicle. */
  spareUserId: string;
  spareVehicleId: string;
  appId: string;
  refreshToken: string;
  v3ClientId: string;
  v3Secret: string;
  webhookUrl: string;
  /** The battery-capacity link the API hands out for the plug-in hybrid (GET /battery/nominal_capacity). */
  batteryCapacityQuery: Record<string, string>;
}

/** The recorded answer of an earlier entry (its JSON body). */
export type Earlier = (operation: string) => Record<string, unknown>;
type Build = (fx: Fixtures, earlier: Earlier) => ExampleRequest;

const v = (fx: Fixtures) => ({ id: fx.vehicleId });
const user = (fx: Fixtures): ExampleRequest => ({ auth: 'user', path: v(fx) });
const v3 = (fx: Fixtures, body?: unknown): ExampleRequest => ({ auth: 'app', path: v(fx), headers: { 'sc-user-id': fx.userId }, ...(body === undefined ? {} : { body }) });
const attrs = (attributes: unknown) => ({ data: { attributes } });
const HOME = { latitude: 37.7749, longitude: -122.4194 };
const HOME_QUERY = { latitude: String(HOME.latitude), longitude: String(HOME.longitude) };
const webhookId = (earlier: Earlier) => String(earlier('POST /v2.0/management/webhooks').id);
const deliveryId = (earlier: Earlier) => String(((earlier('GET /v2.0/management/webhooks/{id}/deliveries').deliveries as { id: string }[] | undefined) ?? [])[0]?.id ?? 'none');
const scheduleId = (earlier: Earlier) => String((earlier('POST /v3/vehicles/{id}/charge-schedules/daily').data as { attributes?: { scheduleId?: string } } | undefined)?.attributes?.scheduleId);
const integrationId = (earlier: Earlier) => String((earlier('POST /v3/webhooks').data as { id?: string } | undefined)?.id);
const integration = (earlier: Earlier): ExampleRequest => ({ auth: 'app', path: { webhookId: integrationId(earlier) } });
const connectionId = (earlier: Earlier) => String(((earlier('GET /v3/connections').data as { id: string }[] | undefined) ?? [])[0]?.id);

export const EXAMPLE_REQUESTS: readonly (readonly [string, Build])[] = [
  // Connect and OAuth
  ['GET /oauth/authorize', (fx) => ({ auth: 'none', query: { response_type: 'code', client_id: fx.appId, redirect_uri: 'https://app.example/cb', scope: 'read_vehicle_info read_odometer', mode: 'simulated', state: 'xyz' } })],
  ['GET /oauth/reauthenticate', (fx) => ({ auth: 'none', query: { client_id: fx.appId, vehicle_id: fx.vehicleId, redirect_uri: 'https://app.example/cb' } })],
  ['GET /battery-capacity', (fx) => ({ auth: 'none', query: { ...fx.batteryCapacityQuery, redirect_uri: 'https://app.example/cb' } })],
  ['POST /oauth2/token', (fx) => ({ auth: 'none', form: { grant_type: 'client_credentials', client_id: fx.v3ClientId, client_secret: fx.v3Secret } })],
  ['GET /.well-known/appspecific/com.tesla.3p.public-key.pem', () => ({ auth: 'none' })],
  // Vehicle API v2.0
  ['GET /v2.0/user', () => ({ auth: 'user' })],
  ['GET /v2.0/vehicles', () => ({ auth: 'user', query: { limit: '10', offset: '0' } })],
  ['GET /v2.0/vehicles/{id}', user],
  ['GET /v2.0/vehicles/{id}/vin', user],
  ['GET /v2.0/vehicles/{id}/location', user],
  ['GET /v2.0/vehicles/{id}/odometer', (fx) => ({ ...user(fx), headers: { 'sc-unit-system': 'imperial' } })],
  ['GET /v2.0/vehicles/{id}/fuel', user],
  ['GET /v2.0/vehicles/{id}/battery', user],
  ['GET /v2.0/vehicles/{id}/battery/capacity', user],
  ['GET /v2.0/vehicles/{id}/battery/nominal_capacity', user],
  ['GET /v2.0/vehicles/{id}/charge', user],
  ['GET /v2.0/vehicles/{id}/charge/limit', user],
  ['POST /v2.0/vehicles/{id}/charge/limit', (fx) => ({ ...user(fx), body: { limit: 0.8 } })],
  ['GET /v2.0/vehicles/{id}/tires/pressure', user],
  ['GET /v2.0/vehicles/{id}/engine/oil', user],
  ['GET /v2.0/vehicles/{id}/security', user],
  ['POST /v2.0/vehicles/{id}/security', (fx) => ({ ...user(fx), body: { action: 'LOCK' } })],
  ['POST /v2.0/vehicles/{id}/navigation/destination', (fx) => ({ ...user(fx), body: HOME })],
  ['GET /v2.0/vehicles/{id}/service/history', (fx) => ({ ...user(fx), query: { start_date: '2026-01-01', end_date: '2026-10-31' } })],
  ['GET /v2.0/vehicles/{id}/diagnostics/system_status', user],
  ['GET /v2.0/vehicles/{id}/diagnostics/dtcs', user],
  ['GET /v2.0/vehicles/{id}/permissions', (fx) => ({ ...user(fx), query: { limit: '5' } })],
  ['POST /v2.0/vehicles/{id}/batch', (fx) => ({ ...user(fx), body: { requests: [{ path: '/odometer' }, { path: '/battery' }, { path: '/location' }] } })],
  ['GET /v2.0/vehicles/{id}/{make}/{path}', (fx) => ({ auth: 'user-tesla', path: { id: fx.teslaId, make: 'tesla', path: 'charge' } })],
  ['POST /v2.0/vehicles/{id}/{make}/{path}', (fx) => ({ auth: 'user-tesla', path: { id: fx.teslaId, make: 'tesla', path: 'charge/ammeter' }, body: { amperage: 16 } })],
  ['PUT /v2.0/vehicles/{id}/{make}/{path}', (fx) => ({ ...user(fx), path: { id: fx.vehicleId, make: 'ford', path: 'charge/schedule_by_location' }, query: HOME_QUERY,
    body: { chargingLocation: { chargeLimit: 0.9, chargingWindows: { weekday: [{ start: '22:00', end: '06:00' }], weekend: [] } } } })],
  ['DELETE /v2.0/vehicles/{id}/{make}/{path}', (fx) => ({ auth: 'user-tesla', path: { id: fx.teslaId, make: 'tesla', path: 'pin' } })],
  // Compatibility
  ['GET /v2.0/compatibility', () => ({ auth: 'client', query: { vin: '5YJ3E1EA7KF000001', scope: 'read_battery read_charge', country: 'US' } })],
  ['GET /v2.0/compatibility/matrix', () => ({ auth: 'client', query: { region: 'US', make: 'TESLA', scope: 'read_battery' } })],
  ['GET /v3/compatible-vehicles', () => ({ auth: 'none', query: { 'filter[region]': 'US', 'filter[make]': 'TESLA', 'filter[powertrainType]': 'BEV', 'page[size]': '1' } })],
  ['GET /v3/compatible-vehicles/{vin}', () => ({ auth: 'none', path: { vin: '5YJ3E1EA7KF000001' }, query: { 'filter[region]': 'US' } })],
  // Webhooks and management
  ['POST /v2.0/management/webhooks', (fx) => ({ auth: 'management', body: { name: 'charging', url: fx.webhookUrl, type: 'eventBased' } })],
  ['GET /v2.0/management/webhooks', () => ({ auth: 'management' })],
  ['GET /v2.0/management/webhooks/{id}', (_fx, earlier) => ({ auth: 'management', path: { id: webhookId(earlier) } })],
  ['POST /v2.0/management/webhooks/{id}/verify', (_fx, earlier) => ({ auth: 'management', path: { id: webhookId(earlier) } })],
  ['POST /v2.0/vehicles/{id}/webhooks/{webhookId}', (fx, earlier) => ({ auth: 'user', path: { id: fx.vehicleId, webhookId: webhookId(earlier) } })],
  ['GET /v2.0/management/webhooks/{id}/deliveries', (_fx, earlier) => ({ auth: 'management', path: { id: webhookId(earlier) }, query: { limit: '10' } })],
  ['GET /v2.0/management/deliveries/{id}', (_fx, earlier) => ({ auth: 'management', path: { id: deliveryId(earlier) } })],
  ['POST /v2.0/management/deliveries/{id}/redeliver', (_fx, earlier) => ({ auth: 'management', path: { id: deliveryId(earlier) } })],
  ['GET /v2.0/management/connections', (fx) => ({ auth: 'management', query: { vehicle_id: fx.vehicleId, limit: '10' } })],
  ['GET /v2.0/management/usage', () => ({ auth: 'management', query: { month: '2026-11' } })],
  // Simulator
  ['GET /simulator/vehicles', () => ({ auth: 'client' })],
  ['POST /simulator/vehicles', () => ({ auth: 'client', body: { make: 'KIA' } })],
  ['GET /simulator/vehicles/{vehicleId}', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId } })],
  ['PATCH /simulator/vehicles/{vehicleId}/state', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId }, body: { pluggedIn: true, charging: false, soc: 0.4 } })],
  ['POST /v2.0/vehicles/{id}/charge', (fx) => ({ ...user(fx), body: { action: 'START' } })],
  ['POST /simulator/vehicles/{vehicleId}/clock', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId }, body: { action: 'advance', minutes: 30 } })],
  ['POST /simulator/clock', () => ({ auth: 'client', body: { action: 'pause' } })],
  ['GET /simulator/vehicles/{vehicleId}/charging-sessions', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId } })],
  // Vehicles API v3
  ['GET /v3/vehicles/{id}', (fx) => v3(fx)],
  ['GET /v3/vehicles/{id}/signals', (fx) => v3(fx)],
  ['GET /v3/vehicles/{id}/signals/{code}', (fx) => ({ ...v3(fx), path: { id: fx.vehicleId, code: 'odometer-traveleddistance' } })],
  ['POST /v3/vehicles/{id}/commands/charge/stop', (fx) => v3(fx)],
  ['POST /v3/vehicles/{id}/commands/charge/start', (fx) => v3(fx)],
  ['POST /v3/vehicles/{id}/commands/charge/set-limit', (fx) => v3(fx, attrs({ percent: 80 }))],
  ['POST /v3/vehicles/{id}/commands/charge-port/open', (fx) => v3(fx)],
  ['POST /v3/vehicles/{id}/commands/charge-port/close', (fx) => v3(fx)],
  ['POST /v3/vehicles/{id}/commands/security/lock', (fx) => v3(fx)],
  ['POST /v3/vehicles/{id}/commands/security/unlock', (fx) => v3(fx)],
  ['POST /v3/vehicles/{id}/commands/navigation/set-destination', (fx) => v3(fx, attrs(HOME))],
  ['POST /v3/vehicles/{id}/charge-schedules/daily', (fx) => v3(fx, attrs({ location: HOME, startTime: '01:00', stopTime: '05:00' }))],
  ['POST /v3/vehicles/{id}/charge-schedules/weekly', (fx) => v3(fx, attrs({ location: HOME, days: { monday: { startTime: '01:00', stopTime: '05:00' }, friday: { startTime: '22:00', stopTime: '06:00' } } }))],
  ['POST /v3/vehicles/{id}/charge-schedules/workweek', (fx) => v3(fx, attrs({ location: HOME, weekdays: { startTime: '01:00', stopTime: '05:00' }, weekends: { startTime: '09:00', stopTime: '12:00' } }))],
  ['GET /v3/vehicles/{id}/charge-schedules/{scheduleId}/executions', (fx, earlier) => ({ ...v3(fx), path: { id: fx.vehicleId, scheduleId: scheduleId(earlier) } })],
  ['DELETE /v3/vehicles/{id}/charge-schedules/{scheduleId}', (fx, earlier) => ({ ...v3(fx), path: { id: fx.vehicleId, scheduleId: scheduleId(earlier) } })],
  ['GET /v3/connections', (fx) => ({ auth: 'app', query: { 'filter[vehicle.mode]': 'simulated', 'filter[vehicleId]': fx.teslaId } })],
  ['GET /v3/connections/{connectionId}', (_fx, earlier) => ({ auth: 'app', path: { connectionId: connectionId(earlier) } })],
  // Management API v3
  ['GET /v3/applications', () => ({ auth: 'app' })],
  ['GET /v3/applications/{applicationId}', (fx) => ({ auth: 'app', path: { applicationId: fx.appId } })],
  ['GET /v3/applications/{applicationId}/secrets', (fx) => ({ auth: 'app', path: { applicationId: fx.appId } })],
  ['POST /v3/webhooks', (fx) => ({ auth: 'app', body: { data: { type: 'webhook', attributes: {
    name: 'Low battery', callbackUri: fx.webhookUrl, triggers: [{ code: 'charge-ischarging' }, { code: 'tractionbattery-stateofcharge', op: '<', value: 20, cooldownSeconds: 3600 }],
    signals: ['tractionbattery-stateofcharge', 'tractionbattery-range', 'charge-ischarging'], isEnabled: true,
  } } } })],
  ['GET /v3/webhooks', () => ({ auth: 'app', query: { 'filter[isEnabled]': 'true', 'page[size]': '10' } })],
  ['GET /v3/webhooks/{webhookId}', (_fx, earlier) => integration(earlier)],
  ['PATCH /v3/webhooks/{webhookId}', (_fx, earlier) => ({ ...integration(earlier), body: { data: { type: 'webhook', attributes: { autoSubscribe: true } } } })],
  ['POST /v3/webhooks/{webhookId}/verify', (_fx, earlier) => integration(earlier)],
  ['POST /v3/subscriptions', (fx, earlier) => ({ auth: 'app', body: { data: { type: 'subscription', attributes: { webhookId: integrationId(earlier), userId: fx.userId, vehicleId: fx.vehicleId } } } })],
  ['POST /v3/webhooks/{webhookId}/subscriptions', (fx, earlier) => ({ ...integration(earlier), body: { data: { type: 'subscription', attributes: { userId: fx.teslaUserId, vehicleId: fx.teslaId } } } })],
  ['GET /v3/subscriptions', (_fx, earlier) => ({ auth: 'app', query: { 'filter[webhookId]': integrationId(earlier), 'page[size]': '25' } })],
  ['GET /v3/webhooks/{webhookId}/subscriptions', (fx, earlier) => ({ ...integration(earlier), query: { 'filter[vehicleId]': fx.teslaId } })],
  ['DELETE /v3/subscriptions', (fx, earlier) => ({ auth: 'app', query: { 'filter[webhookId]': integrationId(earlier), 'filter[vehicleId]': fx.vehicleId } })],
  ['DELETE /v3/webhooks/{webhookId}/subscriptions', (fx, earlier) => ({ ...integration(earlier), body: { data: { type: 'subscription', attributes: { vehicleId: fx.teslaId } } } })],
  ['DELETE /v3/webhooks/{webhookId}', (_fx, earlier) => integration(earlier)],
  // What ends a trip or a connection comes last.
  ['POST /simulator/vehicles/{vehicleId}/scenario', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId }, body: { scenario: 'overnight-charge' } })],
  ['POST /simulator/vehicles/{vehicleId}/faults', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId }, body: { error: 'UPSTREAM:RATE_LIMIT', count: 1 } })],
  ['POST /simulator/vehicles/{vehicleId}/trip', (fx) => ({ auth: 'client', path: { vehicleId: fx.vehicleId }, body: { destination: HOME } })],
  ['POST /oauth/token', (fx) => ({ auth: 'client', form: { grant_type: 'refresh_token', refresh_token: fx.refreshToken } })],
  ['DELETE /v2.0/vehicles/{id}/webhooks/{webhookId}', (fx, earlier) => ({ auth: 'management-bearer', path: { id: fx.vehicleId, webhookId: webhookId(earlier) } })],
  ['DELETE /v2.0/management/webhooks/{id}', (_fx, earlier) => ({ auth: 'management', path: { id: webhookId(earlier) } })],
  ['DELETE /v2.0/vehicles/{id}/application', user],
  ['DELETE /v3/connections/{connectionId}', (_fx, earlier) => ({ auth: 'app', path: { connectionId: connectionId(earlier) } })],
  ['DELETE /v3/users/{userId}', (fx) => ({ auth: 'app', path: { userId: fx.spareUserId } })],
  ['DELETE /v2.0/management/connections', (fx) => ({ auth: 'management', query: { vehicle_id: fx.spareVehicleId } })],
  // Statements exist once a month has ended: the month of every call above is closed first (the test moves the clock on).
  ['GET /v2.0/management/statements', () => ({ auth: 'management' })],
  ['GET /v2.0/management/statements/{month}', () => ({ auth: 'management', path: { month: '2026-11' } })],
];
