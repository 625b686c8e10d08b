import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { commandOk, commandRefused, err, listing, ok, txid } from './bodies.js';
import { applyCommand, commandScopes } from './commands.js';
import { LOCATION_FIELDS } from './fixtures.js';
import { keyHex, type EmuToken, type EmuVehicle, type EmulatorState, type Region } from './state.js';

/**
 * One regional Fleet API (`fleet-api.prd.<region>.vn.cloud.tesla.com`): token, region and partner
 * registration checks, the documented error bodies, a daily data limit, cars that sleep until
 * `wake_up`, and the endpoints opencar uses. See SOURCES.md for the source of every shape.
 */
export interface FleetOptions {
  /** How the emulator fetches `https://<domain>/.well-known/appspecific/com.tesla.3p.public-key.pem` at registration. */
  fetchPublicKey: (domain: string) => Promise<string | undefined>;
}

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined>; Body: Record<string, unknown> | undefined }>;

const VEHICLE_UNAVAILABLE = 'vehicle unavailable: vehicle is offline or asleep';
export const PROTOCOL_REQUIRED = 'Tesla Vehicle Command Protocol required, please refer to the documentation here: https://developer.tesla.com/docs/fleet-api#2023-10-09-rest-api-vehicle-commands-endpoint-deprecation-warning';

export function fleetRoutes(app: FastifyInstance, state: EmulatorState, region: Region, opts: FleetOptions): void {
  /** The caller's token, after the checks Tesla makes before any endpoint; undefined when an error was sent. */
  function caller(req: Req, reply: FastifyReply, partner = false): EmuToken | undefined {
    const t = state.token(req.headers.authorization);
    if (!t) { void reply.code(401).send(); return undefined; }
    if (partner !== (t.kind === 'partner')) { void reply.code(403).send(err('Unauthorized missing scopes')); return undefined; }
    // A partner token is issued for one region's base (its audience) and works there only.
    if (t.kind === 'partner' && t.region !== region) { void reply.code(401).send(err('invalid audience')); return undefined; }
    if (t.kind === 'user' && t.region !== region) {
      void reply.code(421).send(err(`user out of region, use base URL: ${state.bases[t.region]}, see https://developer.tesla.com/docs/fleet-api#regional-requirements`, { txid: txid() }));
      return undefined;
    }
    if (t.kind === 'user' && !state.registrations.has(`${t.clientId}|${region}`)) {
      void reply.code(412).send({ error: `Account ${t.clientId} must be registered in the current region ${state.bases[region]}, please see https://developer.tesla.com/docs/fleet-api/endpoints/partner-endpoints#register` });
      return undefined;
    }
    return t;
  }

  const hasScope = (t: EmuToken, any: string[]) => any.some((s) => t.scopes.includes(s));
  const missingScope = (reply: FastifyReply) => reply.code(403).send(err('Unauthorized missing scopes'));

  function vehicle(req: Req, reply: FastifyReply, t: EmuToken): EmuVehicle | undefined {
    const v = state.vehicleOf(t.sub, req.params.tag ?? '');
    if (!v) { void reply.code(404).send(err('not_found')); return undefined; }
    return v;
  }

  /** A billed data request for the car; false (and a 429 sent) when its daily limit is used up. */
  function dataAllowed(v: EmuVehicle, reply: FastifyReply): boolean {
    if (state.countData(v.vin)) return true;
    const s = state.secondsToMidnight();
    void reply.code(429).header('retry-after', String(s)).send({ error: `Retry in ${s} seconds` });
    return false;
  }

  app.get('/status', async (_req, reply) => reply.type('text/plain').send('ok'));

  app.get('/api/1/vehicles', async (req: Req, reply) => {
    const t = caller(req, reply);
    if (!t) return reply;
    if (!hasScope(t, ['vehicle_device_data'])) return missingScope(reply);
    const page = Math.max(1, Number(req.query.page ?? 1));
    const perPage = Math.min(100, Math.max(1, Number(req.query.per_page ?? 100)));
    const all = state.vehiclesOf(t.sub);
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    const items = all.slice((page - 1) * perPage, page * perPage).map(listing);
    return reply.send({
      response: items, count: all.length,
      pagination: { previous: page > 1 ? page - 1 : null, next: page < pages ? page + 1 : null, current: page, per_page: perPage, count: items.length, pages },
    });
  });

  app.get('/api/1/vehicles/:tag', async (req: Req, reply) => {
    const t = caller(req, reply);
    if (!t) return reply;
    const v = vehicle(req, reply, t);
    if (!v) return reply;
    if (!dataAllowed(v, reply)) return reply;
    if (v.waking !== undefined) {
      v.waking -= 1;
      if (v.waking <= 0) { v.state = 'online'; v.waking = undefined; }
    }
    return reply.send(ok(listing(v)));
  });

  app.get('/api/1/vehicles/:tag/vehicle_data', async (req: Req, reply) => {
    const t = caller(req, reply);
    if (!t) return reply;
    if (!hasScope(t, ['vehicle_device_data'])) return missingScope(reply);
    const v = vehicle(req, reply, t);
    if (!v) return reply;
    if (!v.mobileAccess) return reply.code(401).send(err('mobile_access_disabled'));
    if (!dataAllowed(v, reply)) return reply;
    if (v.state !== 'online') return reply.code(408).send(err(VEHICLE_UNAVAILABLE));
    const endpoints = (req.query.endpoints ?? '').split(';').filter(Boolean);
    const wants = (s: string) => endpoints.length === 0 || endpoints.includes(s);
    const withLocation = endpoints.includes('location_data') && t.scopes.includes('vehicle_location');
    const body: Record<string, unknown> = { ...listing(v), user_id: 800_001 };
    for (const [name, fields] of Object.entries(v.data)) {
      const asked = wants(name) || (name === 'drive_state' && endpoints.includes('location_data'));
      if (!asked) continue;
      const copy = { ...fields };
      if (name === 'drive_state' && !withLocation) for (const f of LOCATION_FIELDS) delete copy[f];
      body[name] = copy;
    }
    return reply.send(ok(body));
  });

  app.post('/api/1/vehicles/:tag/wake_up', async (req: Req, reply) => {
    const t = caller(req, reply);
    if (!t) return reply;
    if (!hasScope(t, ['vehicle_device_data', 'vehicle_cmds'])) return missingScope(reply);
    const v = vehicle(req, reply, t);
    if (!v) return reply;
    if (v.state !== 'online' && v.waking === undefined) {
      if (v.wakePolls <= 0) v.state = 'online';
      else v.waking = v.wakePolls;
    }
    return reply.send(ok({ ...listing(v), user_id: 800_001 }));
  });

  app.post('/api/1/vehicles/:tag/command/:name', async (req: Req, reply) => {
    const t = caller(req, reply);
    if (!t) return reply;
    const name = req.params.name ?? '';
    if (!hasScope(t, commandScopes(name))) return missingScope(reply);
    const v = vehicle(req, reply, t);
    if (!v) return reply;
    if (!v.mobileAccess) return reply.code(401).send(err('mobile_access_disabled'));
    if (v.signingRequired) return reply.code(403).send(err(PROTOCOL_REQUIRED));
    if (v.state !== 'online') return reply.code(408).send(err(VEHICLE_UNAVAILABLE));
    const answer = applyCommand(v, name, req.body ?? {}, state.now());
    if (!answer) return reply.code(400).send(err('invalid_command'));
    return reply.send(answer.result ? commandOk() : commandRefused(answer.reason));
  });

  app.post('/api/1/vehicles/fleet_status', async (req: Req, reply) => {
    const t = caller(req, reply);
    if (!t) return reply;
    const vins = Array.isArray(req.body?.vins) ? (req.body!.vins as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    const key = state.registrations.get(`${t.clientId}|${region}`)?.publicKey;
    const paired: string[] = [];
    const unpaired: string[] = [];
    const info: Record<string, unknown> = {};
    for (const vin of vins) {
      const v = state.vehicleOf(t.sub, vin);
      if (!v) continue;
      (key && v.pairedKeys.has(key) ? paired : unpaired).push(vin);
      info[vin] = {
        firmware_version: String(v.data.vehicle_state.car_version).split(' ')[0], vehicle_command_protocol_required: v.signingRequired,
        discounted_device_data: false, fleet_telemetry_version: '1.1.0', total_number_of_keys: v.pairedKeys.size + 2,
      };
    }
    return reply.send(ok({ key_paired_vins: paired, unpaired_vins: unpaired, vehicle_info: info }));
  });

  app.get('/api/1/users/region', async (req: Req, reply) => {
    const t = state.token(req.headers.authorization);
    if (!t) return reply.code(401).send();
    return reply.send(ok({ region: t.region, fleet_api_base_url: state.bases[t.region] }));
  });

  app.post('/api/1/partner_accounts', async (req: Req, reply) => {
    const t = caller(req, reply, true);
    if (!t) return reply;
    const domain = typeof req.body?.domain === 'string' ? req.body.domain : '';
    if (!domain) return reply.code(400).send(err('invalid_field', { messages: { domain: ['is required'] } }));
    const pem = await opts.fetchPublicKey(domain);
    let hex: string;
    try { hex = keyHex(pem ?? ''); } catch {
      return reply.code(400).send(err('invalid_request', { error_description: `Public key download failed for https://${domain}/.well-known/appspecific/com.tesla.3p.public-key.pem` }));
    }
    state.register(t.clientId, region, domain, hex);
    const client = state.clients.get(t.clientId)!;
    const at = new Date(state.now()).toISOString();
    return reply.send(ok({ client_id: client.id, name: client.name, description: client.name, domain, ca: null, created_at: at, updated_at: at, enterprise_tier: 'pay_as_you_go', public_key: hex }));
  });

  app.get('/api/1/partner_accounts/public_key', async (req: Req, reply) => {
    const t = caller(req, reply, true);
    if (!t) return reply;
    const reg = state.registrations.get(`${t.clientId}|${region}`);
    if (!reg || reg.domain !== req.query.domain) return reply.code(404).send(err('not_found'));
    return reply.send(ok({ public_key: reg.publicKey }));
  });
}
