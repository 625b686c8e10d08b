import type { Kysely } from 'kysely';
import type { Database } from '@opencar/storage';
import type { Capability, Powertrain, Region, VehicleConnector } from './connector.js';
import type { OAuthSignIn } from './live.js';

/**
 * The three modes (Connect's `mode`, an app's default mode, and every stored grant, connection and
 * simulated account):
 * - `simulated`: the stateful simulator with every realistic rule (sleep, quotas, plug state…);
 * - `test`: Smartcar's test mode on the simulator: any login works, the vehicle can provide what
 *   the request asks for, commands succeed unless a test login asks for an error;
 * - `live`: real vehicles through real OEM connectors only; never the simulator.
 */
export type ConnectMode = 'live' | 'simulated' | 'test';

export interface CatalogueModel {
  make: string;          // upper case, e.g. TESLA
  model: string;
  startYear: number;
  endYear: number;
  powertrain: Powertrain;
  batteryKwh: number | null;
  tankLiters: number | null;
  regions: Region[];
  capabilities: Capability[];
}

export interface Brand {
  make: string;          // upper case id used by Connect (button#TESLA.brand-list-item)
  displayName: string;   // "Tesla", "Mercedes-Benz"
  regions: Region[];
}

export interface VehicleSummary {
  vehicleId: string;
  vin: string;
  make: string;
  model: string;
  year: number;
  powertrain: Powertrain;
  /** OEM account (platform user) the vehicle belongs to. */
  accountId: string;
  mode: ConnectMode;
}

export type ConnectErrorCode =
  | 'vehicle_incompatible' | 'invalid_subscription' | 'no_vehicles' | 'configuration_error' | 'server_error';

export type SignInResult =
  | { ok: true; accountId: string; vehicles: VehicleSummary[] }
  | { ok: false; reason: 'bad_credentials' }
  | { ok: false; reason: 'connect_error'; error: ConnectErrorCode; description: string; vin?: string; make?: string; model?: string; year?: number };

export interface SignInInput {
  make: string;
  email: string;
  password: string;
  mode: ConnectMode;
  /** ISO-3166 alpha-2 country from Connect's `flags=country:XX` (default US). */
  country: string;
  /** false: an unknown account is refused instead of created (owner portal). Default true (Connect). */
  createIfMissing?: boolean;
  /** true: the password must match the stored one (owner portal). Simulated and test Connect accept any password. */
  requirePassword?: boolean;
  /**
   * The app signing the owner in (Connect). Simulated and test accounts belong to the app that
   * created them: the same e-mail in two apps is two accounts with two different vehicles. Without
   * it (owner portal) every account of the login whose password matches is a candidate.
   */
  appId?: string;
  /** Capabilities of every permission the request asks for (test mode picks a vehicle that has them). */
  requested?: readonly Capability[];
  /** Capabilities of the request's `required:` permissions. */
  required?: readonly Capability[];
  /** Re-authentication of this vehicle: the account that holds it, when the login is that account's. */
  vehicleId?: string;
}

export type VehicleEventType = 'CHARGING_STARTED' | 'CHARGING_STOPPED' | 'CHARGING_COMPLETED';

export interface VehicleEvent {
  eventId: string;
  vehicleId: string;
  eventType: VehicleEventType;
  /** Virtual time of the event, epoch ms. */
  at: number;
}

/**
 * Called inside the transaction that records the events (outbox pattern): a sink that writes
 * webhook deliveries commits or rolls back together with the simulator state change.
 */
export type EventSink = (trx: Kysely<Database>, events: VehicleEvent[]) => Promise<void>;

/**
 * What the rest of the platform needs from the vehicle backend: the brand/model catalogue, OEM
 * account sign-in for Connect, a connector per vehicle, and vehicle events. The platform's backend
 * is a `ModeRouter` over the simulator and the registered live brands.
 */
export interface VehicleBackend {
  brands(country: string): Brand[];
  /** Whether vehicles of the brand can be connected in this mode (Connect disables the others). */
  brandAvailable(make: string, mode: ConnectMode): boolean;
  models(): readonly CatalogueModel[];
  /** Capabilities a VIN would have (compatibility API); undefined when the VIN is unknown/undecodable. */
  capabilitiesForVin(vin: string, country: string): { make: string; model: string; year: number; capabilities: Capability[] } | { incompatible: 'MAKE_NOT_COMPATIBLE' | 'VEHICLE_NOT_COMPATIBLE' } | undefined;
  signIn(input: SignInInput): Promise<SignInResult>;
  vehicle(vehicleId: string): Promise<VehicleSummary | undefined>;
  /** Connector for a vehicle; undefined when the vehicle no longer exists (VEHICLE_MISSING). */
  connector(vehicleId: string): Promise<VehicleConnector | undefined>;
  addEventSink(sink: EventSink): void;
  /** Stores the nominal battery capacity (kWh) the owner chose in Connect; `nominalCapacity` then reports it as USER_SELECTED. */
  setNominalCapacity?(vehicleId: string, kWh: number): Promise<void>;
  /** The OEM login of a brand whose owners sign in on the OEM's page in this mode; undefined for password brands. */
  oauthSignIn?(make: string, mode: ConnectMode): OAuthSignIn | undefined;
  /** An app's access to an owner (or to everyone, without `userId`) ended: real connectors forget the OEM tokens it held. */
  forgetAccess?(appId: string, userId?: string): Promise<void>;
}
