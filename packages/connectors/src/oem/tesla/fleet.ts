import type { Ctx } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import { envelope, type OemApiClient, type OemCall } from '../client.js';
import type { OemHttp } from '../http.js';
import type { QuotaClass } from '../quota.js';
import type { OemSession } from '../tokens.js';
import { parseVehicleData, type Endpoint, type Snapshot } from './vehicle-data.js';

/**
 * The Fleet API endpoints opencar uses, one method each. Vehicle endpoints are addressed by VIN
 * (Tesla accepts a VIN wherever a vehicle id is expected; the command proxy requires it).
 */
export interface TeslaVehicleListing {
  oemId: string;
  vin: string;
  displayName: string | null;
  state: string | null;
  accessType: string | null;
  /** `command_signing` of the listing (`required`, `allowed`, `off`) when Tesla sends it. */
  commandSigning: string | null;
  /** `vehicle_config.car_type` when the listing carries it (e.g. `model3`). */
  carType: string | null;
}

export interface FleetStatus {
  paired: boolean;
  signingRequired: boolean;
  firmware: string | null;
}

export interface CommandOutcome { result: boolean; reason: string }

const invalid = (what: string) => new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, `Tesla ${what}`);
const isVin = (v: unknown): v is string => typeof v === 'string' && /^[A-HJ-NPR-Z0-9]{17}$/.test(v);

export class TeslaFleet {
  constructor(
    private readonly api: OemApiClient,
    private readonly proxy: { base: string; http: OemHttp } | undefined,
    private readonly now: () => number,
  ) {}

  get hasProxy(): boolean { return this.proxy !== undefined; }

  /** Every vehicle of the account (`GET /api/1/vehicles`, paged). */
  async listVehicles(session: OemSession, ctx?: Pick<Ctx, 'signal' | 'deadline'>): Promise<TeslaVehicleListing[]> {
    const out: TeslaVehicleListing[] = [];
    for (let page = 1; page <= 20; page++) {
      const { res } = await this.api.call({ ...this.base(session, `account:${session.accountId}`, [], ctx), method: 'GET', path: '/api/1/vehicles', query: { page: String(page), per_page: '100' } });
      const list = envelope(res);
      if (!Array.isArray(list)) throw invalid('vehicle list is not an array');
      for (const item of list) {
        if (!item || typeof item !== 'object') throw invalid('vehicle list entry is not an object');
        const v = item as Record<string, unknown>;
        if (!isVin(v.vin)) continue; // products without a VIN (energy sites, cars on order) are not vehicles
        const id = typeof v.id_s === 'string' ? v.id_s : typeof v.id === 'number' || typeof v.id === 'string' ? String(v.id) : v.vin;
        out.push({
          oemId: id, vin: v.vin, displayName: typeof v.display_name === 'string' ? v.display_name : null,
          state: typeof v.state === 'string' ? v.state : null, accessType: typeof v.access_type === 'string' ? v.access_type : null,
          commandSigning: typeof v.command_signing === 'string' ? v.command_signing : null,
          carType: typeof (v.vehicle_config as { car_type?: unknown } | undefined)?.car_type === 'string' ? (v.vehicle_config as { car_type: string }).car_type : null,
        });
      }
      const pagination = (res.json as { pagination?: { next?: unknown } }).pagination;
      if (!pagination || pagination.next === null || pagination.next === undefined || list.length === 0) break;
    }
    return out;
  }

  /** `GET /api/1/users/region`: the Fleet API base URL Tesla serves the token's account from. */
  async userRegionBase(session: OemSession, ctx?: Pick<Ctx, 'signal' | 'deadline'>): Promise<string> {
    const { res } = await this.api.call({ ...this.base(session, `account:${session.accountId}`, [], ctx), method: 'GET', path: '/api/1/users/region' });
    const r = envelope(res) as { fleet_api_base_url?: unknown } | null;
    if (!r || typeof r !== 'object' || typeof r.fleet_api_base_url !== 'string') throw invalid('region answer lacks fleet_api_base_url');
    return r.fleet_api_base_url;
  }

  /** `GET /api/1/vehicles/{vin}/vehicle_data?endpoints=…` (a live call; 408 when the car sleeps). */
  async vehicleData(session: OemSession, vin: string, endpoints: readonly Endpoint[], ctx: Ctx): Promise<{ snapshot: Snapshot; session: OemSession }> {
    const { res, session: s } = await this.api.call({
      ...this.base(session, vin, ['data'], ctx), method: 'GET', path: `/api/1/vehicles/${vin}/vehicle_data`, query: { endpoints: endpoints.join(';') },
    });
    return { snapshot: parseVehicleData(envelope(res), this.now()), session: s };
  }

  /** `GET /api/1/vehicles/{vin}`: the light call (does not wake or keep the car awake) for its state. */
  async vehicleState(session: OemSession, vin: string, ctx: Ctx): Promise<{ state: string; inService: boolean | null }> {
    const { res } = await this.api.call({ ...this.base(session, vin, ['data'], ctx), method: 'GET', path: `/api/1/vehicles/${vin}` });
    const r = envelope(res);
    const inService = (r as { in_service?: unknown } | null)?.in_service;
    return { state: stateOf(r), inService: typeof inService === 'boolean' ? inService : null };
  }

  /** `POST /api/1/vehicles/{vin}/wake_up`: asks the car to wake; answers its state at that moment. */
  async wakeUp(session: OemSession, vin: string, ctx: Ctx): Promise<string> {
    const { res } = await this.api.call({ ...this.base(session, vin, ['wakes'], ctx), method: 'POST', path: `/api/1/vehicles/${vin}/wake_up`, idempotent: false });
    return stateOf(envelope(res));
  }

  /** `POST /api/1/vehicles/fleet_status`: whether the car requires signed commands and has opencar's key. */
  async fleetStatus(session: OemSession, vin: string, ctx: Ctx): Promise<FleetStatus> {
    const { res } = await this.api.call({ ...this.base(session, vin, ['data'], ctx), method: 'POST', path: '/api/1/vehicles/fleet_status', json: { vins: [vin] }, idempotent: true });
    const r = envelope(res) as { key_paired_vins?: unknown; vehicle_info?: Record<string, { vehicle_command_protocol_required?: unknown; firmware_version?: unknown }> } | null;
    if (!r || typeof r !== 'object' || !Array.isArray(r.key_paired_vins)) throw invalid('fleet_status lacks key_paired_vins');
    const info = r.vehicle_info && typeof r.vehicle_info === 'object' ? r.vehicle_info[vin] : undefined;
    return {
      paired: r.key_paired_vins.includes(vin),
      signingRequired: info?.vehicle_command_protocol_required === true,
      firmware: typeof info?.firmware_version === 'string' ? info.firmware_version : null,
    };
  }

  /** `POST /api/1/vehicles/{vin}/command/{name}`, through the command proxy when signing is needed. */
  async command(session: OemSession, vin: string, name: string, body: Record<string, unknown>, o: { signed: boolean; classes: readonly QuotaClass[]; ctx: Ctx }): Promise<CommandOutcome> {
    if (o.signed && !this.proxy) {
      throw new VehicleError({ kind: 'upstream', code: 'KNOWN_ISSUE' }, 'signed command without a configured proxy',
        { description: 'This vehicle only accepts signed commands, and the platform has no Tesla Vehicle Command proxy configured.' });
    }
    const { res } = await this.api.call({
      ...this.base(session, vin, o.classes, o.ctx), method: 'POST', path: `/api/1/vehicles/${vin}/command/${name}`, json: body, idempotent: false,
      ...(o.signed && this.proxy ? { base: this.proxy.base, http: this.proxy.http } : {}),
    });
    const r = envelope(res) as { result?: unknown; reason?: unknown } | null;
    if (!r || typeof r !== 'object' || typeof r.result !== 'boolean') throw invalid(`${name} answer lacks result`);
    return { result: r.result, reason: typeof r.reason === 'string' ? r.reason : '' };
  }

  private base(session: OemSession, subject: string, classes: readonly QuotaClass[], ctx?: Pick<Ctx, 'signal' | 'deadline'>): Omit<OemCall, 'method' | 'path'> {
    return { session, subject, classes, idempotent: true, signal: ctx?.signal, deadline: ctx?.deadline };
  }
}

function stateOf(r: unknown): string {
  const s = r && typeof r === 'object' ? (r as { state?: unknown }).state : undefined;
  if (typeof s !== 'string') throw invalid('vehicle answer lacks state');
  return s;
}
