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
  signIn(input: SignInInput): Promise<SignInResult>;
  vehicle(vehicleId: string): Promise<VehicleSummary | undefined>;
  connector(vehicleId: string): Promise<VehicleConnector | undefined>;
  setNominalCapacity?(vehicleId: string, kWh: number): Promise<void>;
  addEventSink?(sink: EventSink): void;
}
