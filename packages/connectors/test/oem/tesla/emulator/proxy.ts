import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { commandOk, err } from './bodies.js';
import { applyCommand, commandScopes } from './commands.js';
import { keyHex, type EmulatorState, type Region } from './state.js';

/**
 * Tesla's Vehicle Command proxy (`tesla-http-proxy`, teslamotors/vehicle-command): HTTPS with its
 * own certificate, vehicles addressed by VIN, commands signed with the operator's private key (so
 * a car accepts them only when that key's public half is paired with it), every other Fleet API
 * path forwarded to the account's region. Error bodies follow pkg/proxy/proxy.go; see SOURCES.md.
 */
export interface ProxyControl {
  /** The private key (PEM) the proxy signs with, as the operator passes it with `-key-file`. */
  setKey(privatePem: string): void;
}

export function proxyRoutes(app: FastifyInstance, state: EmulatorState, regions: Record<Region, FastifyInstance>): ProxyControl {
  let keyPublicHex: string | undefined;

  app.get('/health', async (_req, reply) => reply.send());

  app.post('/api/1/vehicles/:vin/command/:name', async (req, reply) => {
    const { vin, name } = req.params as { vin: string; name: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!req.headers.authorization) return reply.code(403).send(err('client did not provide an OAuth token'));
    if (vin.length !== 17) return reply.code(404).send(err('expected 17-character VIN in path (do not user Fleet API ID)'));
    const t = state.token(req.headers.authorization);
    if (!t) return reply.code(401).send();
    if (!state.registrations.has(`${t.clientId}|${t.region}`)) {
      return reply.code(412).send({ error: `Account ${t.clientId} must be registered in the current region ${state.bases[t.region]}, please see https://developer.tesla.com/docs/fleet-api/endpoints/partner-endpoints#register` });
    }
    if (!commandScopes(name).some((s) => t.scopes.includes(s))) return reply.code(403).send(err('Unauthorized missing scopes'));
    const v = state.vehicleOf(t.sub, vin);
    if (!v) return reply.code(404).send(err('not_found'));
    if (v.signingRequired) {
      if (!keyPublicHex) return reply.code(500).send(err('proxy has no command-authentication private key'));
      if (v.state !== 'online') return reply.code(503).send(err('vehicle unavailable: vehicle is offline or asleep'));
      if (!v.pairedKeys.has(keyPublicHex)) return reply.code(500).send(err('vehicle rejected request: your public key has not been paired with the vehicle'));
    } else if (v.state !== 'online') {
      return reply.code(408).send(err('vehicle unavailable: vehicle is offline or asleep'));
    }
    const answer = applyCommand(v, name, body, state.now());
    if (!answer) return reply.code(400).send(err('invalid_command'));
    return reply.send(answer.result ? commandOk() : { response: { result: false, reason: answer.reason }, error: '', error_description: '' });
  });

  app.all('/api/1/*', async (req, reply) => {
    const t = state.token(req.headers.authorization);
    const target = regions[t?.region ?? 'na'];
    const res = await target.inject({
      method: req.method as 'GET', url: req.url, payload: req.body === undefined ? undefined : JSON.stringify(req.body),
      headers: { authorization: req.headers.authorization ?? '', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    return reply.code(res.statusCode).type(res.headers['content-type']?.toString() ?? 'application/json').send(res.body);
  });

  return {
    setKey(privatePem: string) {
      keyPublicHex = keyHex(createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' }).toString());
    },
  };
}
