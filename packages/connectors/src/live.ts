import type { EventSink, SignInInput, SignInResult, VehicleSummary } from './backend.js';
import type { VehicleConnector } from './connector.js';

/**
 * A brand's real vehicles behind its OEM cloud: what one real connector provides for `live` mode.
 * Register one per brand on the platform's backend with `registerLiveBrand(make, backend)`; a brand
 * without one is shown as unavailable in live Connect, and nothing in live mode ever reaches the
 * simulator.
 *
 * The contract is the live half of `VehicleBackend`:
 * - `signIn` is Connect's OEM-account step for this brand in live mode (`input.mode` is always
 *   `live`, `input.make` the registered make). Vehicle ids it returns must be unique across the
 *   platform (a UUID per vehicle); `VehicleSummary.mode` is `live`.
 * - `vehicle` / `connector` answer only for vehicles this backend created, and `undefined` for any
 *   other id (the platform asks each live backend in turn after the simulator).
 * - `addEventSink` (optional) receives the sinks of vehicle events (webhooks) registered on the
 *   platform, before and after this backend was registered.
 */
export interface LiveBackend {
  /** Connect's password step; a brand with `oauth` is never asked (its owners sign in on the OEM's page). */
  signIn(input: SignInInput): Promise<SignInResult>;
  /** Present when owners sign in on the OEM's own login page (OAuth redirect) instead of giving opencar a password. */
  oauth?: OAuthSignIn;
  /** An app's access ended (every connection of `userId`, or of every owner when omitted): forget the OEM tokens it held. */
  forgetAccess?(appId: string, userId?: string): Promise<void>;
  vehicle(vehicleId: string): Promise<VehicleSummary | undefined>;
  connector(vehicleId: string): Promise<VehicleConnector | undefined>;
  setNominalCapacity?(vehicleId: string, kWh: number): Promise<void>;
  addEventSink?(sink: EventSink): void;
}

/**
 * Sign-in on the OEM's own page: Connect (and the owner portal) sends the owner to `begin`'s URL,
 * keeps the verifier server-side, and hands the code the OEM returns to `complete`.
 */
export interface OAuthSignIn {
  /** Upper-case make, e.g. TESLA. */
  readonly make: string;
  /** The OEM login URL for one sign-in (OAuth state `state`), and the PKCE verifier to keep for its return. */
  begin(p: { permissions: readonly string[]; state: string; locale?: string }): { url: string; verifier: string };
  /**
   * The owner came back with `code`: the account and its vehicles. With `appId`, the OEM tokens are
   * stored for that app; without, they only identify the owner (owner portal) and are not kept.
   */
  complete(p: { appId?: string; code: string; verifier: string }): Promise<SignInResult>;
}
