import { ApiError } from '@opencar/core';
import type { VehicleEvent } from '../../backend.js';
import type { BrandRequest, Capability, Ctx, Reading } from '../../connector.js';
import { VehicleError, type VehicleStateCode } from '../../errors.js';
import type { Env, Meta, Simulator } from '../simulator.js';
import type { SimState } from '../state.js';

/** One brand-specific call and the helpers every handler uses to run it through the simulator. */
export interface BrandCall {
  sim: Simulator;
  ctx: Ctx;
  meta: Meta;
  /** Lower-case make of the path. */
  make: string;
  req: BrandRequest;
}

export type Handler = (c: BrandCall) => Promise<Reading<unknown>>;

/** `METHOD path` → handler, plus whether the endpoint needs a traction battery. */
export type HandlerTable = Record<string, { ev: boolean; run: Handler }>;

export const ACTION_OK = 'Successfully sent request to vehicle';
export const action = (message = ACTION_OK) => ({ status: 'success', message });

const capOf = (c: BrandCall): Capability => `brand:${c.make}`;

/** A read through the profile pipeline (latency, sleep, cache, quota); `body` must not mutate. */
export function read<T>(c: BrandCall, body: (s: SimState, env: Env) => T): Promise<Reading<T>> {
  return c.sim.read(c.ctx, capOf(c), body);
}

/**
 * A command through the pipeline; `apply` checks preconditions, then mutates and returns the
 * response body. The reading's times are the confirmation time.
 */
export async function command<T>(c: BrandCall, apply: (s: SimState, env: Env, events: VehicleEvent[]) => T): Promise<Reading<T>> {
  let value: T | undefined;
  const r = await c.sim.command(c.ctx, capOf(c), (s, env, events) => { value = apply(s, env, events); });
  return { value: value as T, capturedAt: r.completedAt, oemUpdatedAt: r.completedAt, retrievedAt: r.completedAt, source: 'live', woke: r.woke };
}

/** A call the brand's cloud answers without the vehicle (Simulator.cloud). */
export function cloud<T>(c: BrandCall, body: (s: SimState, t: number) => T | Promise<T>): Promise<Reading<T>> {
  return c.sim.cloud(c.ctx, capOf(c), body);
}

export const precondition = (code: VehicleStateCode) => new VehicleError({ kind: 'precondition', code });

/** A client mistake in the request body or query (400 VALIDATION). */
export function invalid(field: string, message: string): ApiError {
  return new ApiError('VALIDATION', { description: message, detail: [{ field, message }] });
}

export const field = (body: unknown, k: string): unknown =>
  (body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[k] : undefined);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export function hhmm(v: unknown, name: string): string {
  if (typeof v !== 'string' || !HHMM.test(v)) throw invalid(name, `${name} must be a time of day as HH:mm`);
  return v;
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
