import { pino } from 'pino';
import { encryptSecret, sha256, type Clock } from '@opencar/core';
import { AccountsRepo, type Storage } from '@opencar/storage';
import type { VehicleEvent, VehicleEventType } from '@opencar/connectors';
import { WebhookService, type WebhookServiceOptions } from '../src/index.js';

export const SECRET = 'webhooks-test-secret-key';
export const silent = pino({ level: 'silent' });

export async function seedApp(storage: Storage, appId: string, plan = 'enterprise', mode = 'simulated'): Promise<string> {
  const repo = new AccountsRepo(storage.db);
  await repo.createDeveloper({ id: `dev-${appId}`, email: `${appId}@example.com`, password_hash: null, name: appId, tos_version: null, tos_accepted_at: null, plan, plan_limits: null, status: 'active', created_at: 0 });
  const amt = `amt-${appId}-0123456789`;
  await repo.createApp({ id: appId, developerId: `dev-${appId}`, name: appId, logoUrl: null, clientSecretHash: sha256('s'), amtHash: sha256(amt), amtEnc: encryptSecret(SECRET, amt), redirectUris: ['https://a.example/cb'], defaultScope: [], mode, simLatency: null }, 0);
  return amt;
}

export function service(storage: Storage, clock: Clock, over: Partial<WebhookServiceOptions> = {}): WebhookService {
  // Receivers in tests listen on 127.0.0.1.
  return new WebhookService({ storage, clock, log: silent, secretKey: SECRET, publicUrl: 'http://opencar.test', timeoutMs: 300, pollMs: 20, targets: { allowPrivate: true }, ...over });
}

let n = 0;
export function event(vehicleId: string, at: number, eventType: VehicleEventType = 'CHARGING_STARTED'): VehicleEvent {
  n += 1;
  return { eventId: `evt-${String(n).padStart(5, '0')}`, vehicleId, eventType, at };
}

/** Writes events through the outbox sink inside a transaction, exactly as the vehicle backend does. */
export async function emit(storage: Storage, svc: WebhookService, events: VehicleEvent[]): Promise<void> {
  const sink = svc.eventSink();
  await storage.db.transaction().execute((trx) => sink(trx, events));
}

/** Connects a vehicle to an app (the row Connect writes), with the owner's permissions. */
export async function connect(storage: Storage, appId: string, vehicleId: string, permissions: string[] = ['read_battery', 'read_charge', 'read_odometer'], userId = `owner-${vehicleId}`): Promise<void> {
  await storage.db.insertInto('oauth_connections').values({ app_id: appId, user_id: userId, vehicle_id: vehicleId, grant_id: `grant-${vehicleId}`, mode: 'simulated', permissions: JSON.stringify(permissions), connected_at: 0 }).execute();
}

/** Removes a vehicle's connections to an app (what disconnect and revocation do). */
export async function disconnect(storage: Storage, appId: string, vehicleId: string): Promise<void> {
  await storage.db.deleteFrom('oauth_connections').where('app_id', '=', appId).where('vehicle_id', '=', vehicleId).execute();
}
