import { ApiError } from '@opencar/core';
import type { Capability, Reading } from '@opencar/connectors';
import type { ApiDeps } from '../../deps.js';
import { VEHICLE_DEADLINE_MS } from '../../pipeline/vehicle-access.js';
import { powertrainOf, v3Mode } from './connection-resource.js';
import { bodyOf, SIGNALS_BY_CODE, type SourceMethod } from './signal-map.js';
import { asApi, readSource, supplies } from './signals.js';

/** One signal of a snapshot, as payload 4.0 carries it (timestamps epoch ms). */
export interface SnapshotSignal {
  code: string; name: string; group: string; body: Record<string, unknown> | null;
  status: { value: 'SUCCESS' | 'ERROR' | 'UNAVAILABLE'; error?: { type: string; code: string } };
  meta: { oemUpdatedAt: number | null; retrievedAt: number };
}

export interface SignalSnapshot {
  user: { id: string; externalId: string | null };
  vehicle: { id: string; make: string; model: string; year: number; mode: 'live' | 'simulated'; powertrainType: string };
  signals: SnapshotSignal[];
  /** Observed without waking and the vehicle sleeps: nothing was read (`signals` is empty). */
  asleep?: true;
}

export interface SnapshotOptions {
  /**
   * Observe real (live) vehicles without waking them: the OEM cloud's light state call first (Tesla's
   * vehicle list entry, never `vehicle_data`), and nothing more when the car sleeps; reads never ask
   * for a wake (`allowWake: false`), and a read the sleeping car refuses makes the snapshot `asleep`.
   */
  noWakeLive?: boolean;
}

const isAsleepError = (e: ApiError) => e.type === 'VEHICLE_STATE' && e.code === 'ASLEEP';

/** Only the backend's connectors are used: a live brand's backend alone will do. */
type Deps = Pick<ApiDeps, 'grants' | 'clock' | 'config' | 'secretKey' | 'chargeSchedules'> & { backend: Pick<ApiDeps['backend'], 'connector'> };

/**
 * Reads signals of a vehicle for one owner's connection to an app, as API v3 webhooks deliver them:
 * each source reading once, each signal with its own status (a signal whose permission the owner did
 * not grant is ERROR PERMISSION; one the vehicle cannot supply is UNAVAILABLE). Undefined when the
 * owner's connection to the app is gone.
 */
export async function readSignalSnapshot(deps: Deps, sub: { appId: string; userId: string; vehicleId: string }, codes: string[], opts: SnapshotOptions = {}): Promise<SignalSnapshot | undefined> {
  const { connections } = await deps.grants.listConnections(sub.appId, { vehicleId: sub.vehicleId, userId: sub.userId }, { limit: 1 });
  const conn = connections[0];
  if (!conn) return undefined;
  const connector = await deps.backend.connector(sub.vehicleId);
  if (!connector) return undefined;
  const noWake = opts.noWakeLive === true && conn.mode === 'live';
  const ctx = { vehicleId: sub.vehicleId, unitSystem: 'metric' as const, appId: sub.appId, deadline: deps.clock.now() + VEHICLE_DEADLINE_MS, ...(noWake ? { allowWake: false } : {}) };
  const access = { appId: sub.appId, userId: sub.userId };
  const granted = new Set(conn.permissions);
  let caps: ReadonlySet<Capability> = new Set();
  let identity: { make: string; model: string; year: number } = { make: '', model: '', year: 0 };
  let failure: ApiError | undefined;
  try {
    caps = await connector.capabilities(ctx);
    identity = await connector.identity(ctx);
  } catch (err) { failure = asApi(deps, err, sub.appId, sub.vehicleId); }
  const defs = codes.map((c) => SIGNALS_BY_CODE.get(c)).filter((d) => d !== undefined);
  const readable = failure ? [] : defs.filter((d) => granted.has(d.permission) && supplies(connector, caps, d));
  const outcomes = new Map<SourceMethod, { reading: Reading<unknown> } | { failure: ApiError }>();
  const vehicle = (): SignalSnapshot['vehicle'] => ({
    id: sub.vehicleId, make: identity.make.toUpperCase(), model: identity.model, year: identity.year, mode: v3Mode(conn.mode), powertrainType: powertrainOf(caps),
  });
  const user = { id: sub.userId, externalId: conn.externalId ?? null };
  if (noWake && !failure && caps.has('connectivity') && connector.connectivity) {
    // The OEM cloud's own view of the car (never wakes it); a sleeping car is left alone.
    const state = await connector.connectivity(ctx).then((reading) => ({ reading }), (err: unknown) => ({ failure: asApi(deps, err, sub.appId, sub.vehicleId) }));
    if ('reading' in state && (state.reading.value.asleep === true || state.reading.value.online === false)) return { user, vehicle: vehicle(), signals: [], asleep: true };
    outcomes.set('connectivity', state);
  }
  const sources = [...new Set(readable.map((d) => d.source))].filter((s) => !outcomes.has(s));
  const settled = await Promise.allSettled(sources.map((s) => readSource(deps, connector, ctx, s, access)));
  settled.forEach((r, i) => outcomes.set(sources[i]!, r.status === 'fulfilled' ? { reading: r.value } : { failure: asApi(deps, r.reason, sub.appId, sub.vehicleId) }));
  if (noWake && [...outcomes.values()].some((o) => 'failure' in o && isAsleepError(o.failure))) return { user, vehicle: vehicle(), signals: [], asleep: true };
  const now = deps.clock.now();
  const signals = defs.map((d): SnapshotSignal => {
    const base = { code: d.code, name: d.name, group: d.group };
    const error = (type: string, code: string | null): SnapshotSignal => ({ ...base, body: null, status: { value: 'ERROR', error: { type, code: code ?? type } }, meta: { oemUpdatedAt: null, retrievedAt: now } });
    if (failure) return error(failure.type, failure.code);
    if (!granted.has(d.permission)) return error('PERMISSION', 'PERMISSION');
    const outcome = outcomes.get(d.source);
    if (!outcome) return { ...base, body: null, status: { value: 'UNAVAILABLE' }, meta: { oemUpdatedAt: null, retrievedAt: now } };
    if ('failure' in outcome) return error(outcome.failure.type, outcome.failure.code);
    const r = outcome.reading;
    const meta = { oemUpdatedAt: r.oemUpdatedAt, retrievedAt: r.retrievedAt };
    const body = bodyOf(d, r.value, { caps, capturedAt: r.capturedAt });
    if (body && 'error' in body && Object.keys(body).length === 1) return { ...base, body: null, status: { value: 'ERROR', error: body.error as { type: string; code: string } }, meta };
    if (!body) return { ...base, body: null, status: { value: 'UNAVAILABLE' }, meta };
    return { ...base, body, status: { value: 'SUCCESS' }, meta };
  });
  return { user, vehicle: vehicle(), signals };
}
