import type { FastifyReply } from 'fastify';
import type { SignInResult, VehicleBackend, VehicleSummary } from '@opencar/connectors';
import { unmetPermissions } from '../permissions.js';
import { showFlow, type ConnectContext } from './context.js';
import type { Flow, FlowVehicle } from './flow.js';
import { capacityProblem, finish, finishConnected, finishWithError } from './redirect.js';
import { brandName } from './show.js';

/** Which required permissions each vehicle cannot meet, from its connector's declared capabilities. */
async function assess(backend: VehicleBackend, vehicles: VehicleSummary[], required: string[], country: string): Promise<FlowVehicle[]> {
  const names = new Map(backend.brands(country).map((b) => [b.make, b.displayName]));
  return Promise.all(vehicles.map(async (v) => {
    let unmet: string[] = [];
    if (required.length) {
      const connector = await backend.connector(v.vehicleId);
      unmet = connector ? unmetPermissions(required, await connector.capabilities({ vehicleId: v.vehicleId, unitSystem: 'metric' })) : required;
    }
    return { vehicleId: v.vehicleId, vin: v.vin, make: v.make, makeName: names.get(v.make), model: v.model, year: v.year, unmet };
  }));
}

/**
 * approval_prompt=auto: when an earlier, unrevoked grant of this owner to this app (same mode)
 * already covers every requested permission, reuse its vehicles that are still selectable.
 */
async function alreadyGranted(ctx: ConnectContext, flow: Flow): Promise<string[] | undefined> {
  const d = flow.data;
  if (d.approvalPrompt !== 'auto' || d.singleSelect) return undefined;
  const grants = await ctx.repo.activeGrants(d.clientId, d.accountId!);
  const selectable = new Set(d.vehicles.filter((v) => v.unmet.length === 0).map((v) => v.vehicleId));
  const covered = new Set<string>();
  for (const g of grants) {
    if (g.mode !== d.mode || !d.permissions.every((p) => g.permissions.includes(p))) continue;
    for (const v of g.vehicleIds) if (selectable.has(v)) covered.add(v);
  }
  return covered.size ? [...covered] : undefined;
}

/**
 * After the owner signed in to the brand (a password, or the brand's own OAuth page): a Connect
 * error from the brand ends the flow; a re-authentication returns `vehicle_id`; otherwise the
 * account's vehicles are assessed and the owner goes to the consent page (or straight back to the
 * app when an earlier grant already covers the request).
 */
export async function proceedAfterSignIn(ctx: ConnectContext, reply: FastifyReply, flow: Flow, result: Exclude<SignInResult, { reason: 'bad_credentials' }>): Promise<FastifyReply> {
  const d = flow.data;
  if (!result.ok) {
    const { vin, make, model, year } = result;
    return finishWithError(reply, ctx.flows, flow, result.error, result.description, { vin, make, model, year });
  }
  d.accountId = result.accountId;

  if (d.kind === 'reauth') {
    if (!result.vehicles.some((v) => v.vehicleId === d.vehicleId)) {
      d.step = 'error';
      d.error = { statusCode: 404, message: `Vehicle ${d.vehicleId} is not in this ${brandName(ctx, d.make, d.country)} account.` };
      await ctx.flows.save(flow);
      return showFlow(reply, flow);
    }
    // The owner signed in and holds the vehicle: now they may learn whether the app has it.
    const [connection] = await ctx.repo.listConnections(d.clientId, { vehicleId: d.vehicleId! }, 1);
    if (!connection) {
      d.step = 'error';
      d.error = { statusCode: 404, message: `Vehicle ${d.vehicleId} is not connected to ${d.appName}.` };
      await ctx.flows.save(flow);
      return showFlow(reply, flow);
    }
    return finish(reply, ctx.flows, flow, { vehicle_id: d.vehicleId });
  }

  let vehicles = result.vehicles;
  if (vehicles.length === 0) return finishWithError(reply, ctx.flows, flow, 'no_vehicles', 'No vehicles were found in this account.');
  if (d.singleSelectVin) {
    vehicles = vehicles.filter((v) => v.vin.toUpperCase() === d.singleSelectVin);
    if (vehicles.length === 0) {
      d.step = 'error';
      d.error = { statusCode: 404, message: `The vehicle with VIN ${d.singleSelectVin} is not in this account.` };
      await ctx.flows.save(flow);
      return showFlow(reply, flow);
    }
  }
  d.vehicles = await assess(ctx.deps.backend!, vehicles, d.required, d.country);
  const first = d.vehicles[0]!;
  if (d.vehicles.every((v) => v.unmet.length > 0)) {
    return finishWithError(reply, ctx.flows, flow, 'vehicle_incompatible',
      `The vehicle cannot provide the required permission(s): ${first.unmet.join(', ')}.`,
      { make: first.make, model: first.model, year: first.year, vin: first.vin });
  }
  const reuse = await alreadyGranted(ctx, flow);
  if (reuse && !(await capacityProblem(ctx.repo, ctx.deps.metering, d.clientId, reuse))) {
    return finishConnected(reply, ctx.repo, ctx.flows, ctx.deps.clock.now(), flow, reuse, ctx.deps);
  }
  d.step = 'consent';
  await ctx.flows.save(flow);
  return showFlow(reply, flow);
}
