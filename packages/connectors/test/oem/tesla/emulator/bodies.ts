import { randomBytes } from 'node:crypto';
import type { EmuVehicle } from './state.js';

/** Response bodies in the Fleet API's envelope (developer.tesla.com …/conventions#response-format). See SOURCES.md. */
export const ok = (response: unknown) => ({ response });

export const err = (error: string, extra: Record<string, unknown> = {}) => ({ response: null, error, error_description: '', ...extra });

export const txid = () => randomBytes(16).toString('hex');

/** One entry of `GET /api/1/vehicles` (Tesla docs `list`; Home Assistant `products.json`). */
export function listing(v: EmuVehicle): Record<string, unknown> {
  return {
    id: v.id, vehicle_id: v.vehicleId, vin: v.vin, color: null, access_type: 'OWNER', display_name: v.displayName, option_codes: null,
    granular_access: { hide_private: false }, tokens: null, state: v.state, in_service: false, id_s: String(v.id),
    calendar_enabled: true, api_version: 71, backseat_token: null, backseat_token_updated_at: null,
    command_signing: v.signingRequired ? 'required' : 'off',
  };
}

export const commandOk = () => ok({ result: true, reason: '' });
export const commandRefused = (reason: string) => ok({ result: false, reason });
