import type { Clock, LatencyProfile } from '@opencar/core';
import type { VehicleEvent } from '../backend.js';
import type { Capability, Ctx, Reading } from '../connector.js';
import { VehicleError, vehicleErrorFor } from '../errors.js';
import { brandOf, type BrandDef, type ModelDef } from './catalogue/index.js';
import { capabilitiesOf } from './catalogue/types.js';
import type { SimEngine } from './engine/types.js';
import { evaluate, type View } from './physics.js';
import { drawLatencyMs, profileById, type BehaviourProfile, type RequestClass } from './profiles/index.js';
import { virtualNow, type SimState } from './state.js';
import { advanceTo, nextEvent, refreshNextAt, type Ctx as TCtx } from './transitions.js';

/** Static facts about a vehicle derived from the catalogue (cached per make+model). */
export interface Meta {
  brand: BrandDef;
  md: ModelDef;
  profile: BehaviourProfile;
  caps: ReadonlySet<Capability>;
  tctx: TCtx;
}

export interface SimulatorOptions {
  engine: SimEngine;
  clock: Clock;
  /** Latency profile when neither the vehicle nor the app chooses one (config.simLatency). */
  defaultLatency: LatencyProfile;
  /** The app's choice (apps.sim_latency), when the call is made for an app. */
  appLatency?: (appId: string) => Promise<LatencyProfile | null | undefined>;
  /** Waits `ms` of wall time (realistic latency). Tests inject one that advances a ManualClock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const MAX_LATENCY_MS = 300_000;

export interface Env { meta: Meta; t: number; view: View }
export interface Served<T> { reading: Reading<T> }

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason ?? new Error('aborted')); }, { once: true });
  });
}

/**
 * The simulator core: every connector call goes through `read` or `command`, which apply the brand
 * profile (latency, sleep, OEM cache, quotas, faults) around a pure computation on the state.
 */
export class Simulator {
  readonly engine: SimEngine;
  readonly clock: Clock;
  private readonly opts: SimulatorOptions;
  /** Per make, per model index (no key string to build on every call: due-event processing asks once per vehicle). */
  private readonly metaCache = new Map<string, Meta[]>();

  constructor(opts: SimulatorOptions) {
    this.opts = opts;
    this.engine = opts.engine;
    this.clock = opts.clock;
  }

  meta(s: Pick<SimState, 'make' | 'modelIdx'>): Meta {
    let models = this.metaCache.get(s.make);
    let m = models?.[s.modelIdx];
    if (!m) {
      const brand = brandOf(s.make);
      const md = Number.isInteger(s.modelIdx) ? brand?.models[s.modelIdx] : undefined;
      if (!brand || !md) throw new Error(`unknown simulated model ${s.make}#${s.modelIdx}`);
      const profile = profileById(brand.profile);
      m = { brand, md, profile, caps: new Set(capabilitiesOf(brand, md)), tctx: { md, profile } };
      if (!models) this.metaCache.set(s.make, models = []);
      models[s.modelIdx] = m;
    }
    return m;
  }

  now(s: SimState): number { return virtualNow(s, this.clock.now()); }

  async latencyMode(s: SimState, appId?: string): Promise<LatencyProfile> {
    if (s.latency === 'zero' || s.latency === 'realistic') return s.latency;
    if (appId && this.opts.appLatency) {
      const a = await this.opts.appLatency(appId);
      if (a === 'zero' || a === 'realistic') return a;
    }
    return this.opts.defaultLatency;
  }

  async load(id: string): Promise<SimState> {
    const s = await this.engine.get(id);
    if (!s) throw new VehicleError({ kind: 'account', code: 'VEHICLE_MISSING' });
    return s;
  }

  /** Waits for the profile's latency of this call (virtual time scaled to wall time by the clock speed). */
  private async wait(s: SimState, meta: Meta, ctx: Ctx, cls: RequestClass, wakes: boolean): Promise<boolean> {
    // Test mode answers at once with generated data: no latency, no OEM quota.
    if (s.mode === 'test') return false;
    const mode = await this.latencyMode(s, ctx.appId);
    if (mode !== 'realistic') return false;
    let ms = drawLatencyMs(meta.profile.latency[cls], s.seed, s.reqs * 2);
    if (wakes) ms += drawLatencyMs(meta.profile.latency.wake, s.seed, s.reqs * 2 + 1);
    const real = s.clkSpeed > 0 ? ms / s.clkSpeed : ms;
    const now = this.clock.now();
    const sleep = this.opts.sleep ?? defaultSleep;
    if (ms > MAX_LATENCY_MS || (ctx.deadline !== undefined && now + real > ctx.deadline)) {
      const until = Math.min(now + MAX_LATENCY_MS, ctx.deadline ?? Infinity);
      await sleep(Math.max(0, until - now), ctx.signal);
      throw new VehicleError({ kind: 'timeout' });
    }
    await sleep(real, ctx.signal);
    return true;
  }

  /** Whether the vehicle sleeps at virtual time t; test-mode vehicles never do. */
  isAsleep(s: SimState, meta: Meta, t: number): boolean {
    if (s.mode === 'test' || s.charging || s.tripStart >= 0) return false;
    const v = evaluate(s, meta.md, t);
    return !v.charging && !v.driving && t >= s.awakeUntil;
  }

  /** Checks that apply to every non-static call, before sleep and freshness. */
  private gate(s: SimState, meta: Meta, t: number, kind: 'read' | 'command', realistic: boolean): void {
    if (s.trigger) throw vehicleErrorFor(s.trigger) ?? new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' });
    if (s.faultLeft > 0) {
      s.faultLeft--;
      const key = s.faultKey;
      if (s.faultLeft === 0) s.faultKey = '';
      throw vehicleErrorFor(key) ?? new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' });
    }
    if (s.service) throw new VehicleError({ kind: 'precondition', code: 'VEHICLE_OFFLINE_FOR_SERVICE' });
    if (s.offline || s.lv <= 0.02) throw new VehicleError({ kind: 'unreachable' });
    if (s.remoteOff) throw new VehicleError({ kind: 'precondition', code: 'REMOTE_ACCESS_DISABLED' });
    const p = meta.profile;
    if (p.deepSleepAfterH !== null && this.isAsleep(s, meta, t) && t - s.awakeUntil > p.deepSleepAfterH * 3_600_000) {
      throw new VehicleError({ kind: 'timeout' }, 'deep sleep: no answer until an ignition cycle');
    }
    if (kind === 'read' && p.rules.noDataWhileDriving && s.year % 2 === 1 && s.tripStart >= 0 && evaluate(s, meta.md, t).driving) {
      throw new VehicleError({ kind: 'precondition', code: 'IGNITION_ON' });
    }
    if (realistic) this.rollQuotaWindow(s, p, t);
  }

  private rollQuotaWindow(s: SimState, p: BehaviourProfile, t: number): void {
    const w = p.quotaWindow === 'utc-day' ? 86_400_000 : p.quotaWindow;
    const start = Math.floor(t / w) * w;
    if (s.qStart !== start) { s.qStart = start; s.qData = 0; s.qCmd = 0; s.qWake = 0; }
  }

  private spend(s: SimState, p: BehaviourProfile, t: number, cls: 'data' | 'command' | 'wake', realistic: boolean): void {
    if (!realistic) return;
    const used = cls === 'data' ? s.qData : cls === 'command' ? s.qCmd : s.qWake;
    if (used >= p.quota[cls]) {
      const w = p.quotaWindow === 'utc-day' ? 86_400_000 : p.quotaWindow;
      throw new VehicleError({ kind: 'upstream_rate_limit', retryAfter: Math.max(1, Math.ceil((s.qStart + w - t) / 1000)) });
    }
    if (cls === 'data') s.qData++; else if (cls === 'command') s.qCmd++; else s.qWake++;
  }

  private wake(s: SimState, meta: Meta, t: number, realistic: boolean): void {
    const p = meta.profile;
    if (s.lv < p.lv.low) throw new VehicleError({ kind: 'precondition', code: 'LOW_BATTERY' });
    this.spend(s, p, t, 'wake', realistic);
    s.lv = Math.max(0, Math.round((s.lv - p.lv.wakeDrain) * 1e6) / 1e6);
    s.awakeUntil = t + p.sleepAfterMin * 60_000;
  }

  /** A read: profile gates, sleep (cache / error / wake), live-refresh spacing, quota, then `body`. */
  async read<T>(ctx: Ctx, cap: Capability | null, body: (s: SimState, env: Env) => T): Promise<Reading<T>> {
    const pre = await this.load(ctx.vehicleId);
    const meta = this.meta(pre);
    if (cap && !meta.caps.has(cap)) throw new VehicleError({ kind: 'not_capable' });
    const tPre = this.now(pre);
    const p = meta.profile;
    const asleep = this.isAsleep(pre, meta, tPre);
    const cached = (asleep && p.asleepRead === 'cache') || (!asleep && p.liveEveryMin > 0 && tPre - pre.oemAt < p.liveEveryMin * 60_000);
    const realistic = await this.wait(pre, meta, ctx, cached ? 'cached' : 'live', asleep && p.asleepRead === 'wake');
    if (!realistic && this.readOnly(pre, meta, tPre, asleep)) {
      // Awake, nothing due, no quota in play: the read changes nothing worth a write.
      const value = body(pre, { meta, t: tPre, view: evaluate(pre, meta.md, tPre) });
      return { value, capturedAt: tPre, oemUpdatedAt: tPre, retrievedAt: tPre, source: 'live', woke: false };
    }
    return this.engine.update(ctx.vehicleId, (s) => {
      const events: VehicleEvent[] = [];
      const t = this.now(s);
      advanceTo(s, meta.tctx, t, events);
      s.reqs++;
      try {
        this.gate(s, meta, t, 'read', realistic);
        let source: Reading<T>['source'] = 'live';
        let woke = false;
        let at = t;
        if (this.isAsleep(s, meta, t)) {
          if (p.asleepRead === 'error') throw new VehicleError({ kind: 'asleep' });
          if (p.asleepRead === 'wake') {
            try { this.wake(s, meta, t, realistic); } catch (e) {
              if (e instanceof VehicleError && e.failure.kind === 'upstream_rate_limit') throw new VehicleError({ kind: 'asleep' });
              throw e;
            }
            woke = true;
          } else { source = 'oem-cache'; at = s.oemAt; }
        } else if (p.liveEveryMin > 0 && t - s.oemAt < p.liveEveryMin * 60_000) {
          source = 'oem-cache';
          at = s.oemAt;
        }
        if (source === 'live') {
          this.spend(s, p, t, 'data', realistic);
          s.oemAt = t;
          s.awakeUntil = Math.max(s.awakeUntil, t + p.sleepAfterMin * 60_000);
        }
        const value = body(s, { meta, t: at, view: evaluate(s, meta.md, at) });
        refreshNextAt(s, meta.md);
        return { value: { value, capturedAt: at, oemUpdatedAt: s.oemAt, retrievedAt: t, source, woke }, events };
      } catch (e) {
        if (!(e instanceof VehicleError)) throw e;
        refreshNextAt(s, meta.md);
        return { error: e, events };
      }
    });
  }

  /**
   * A call the OEM cloud answers without the vehicle (account, pairing, online status): no latency,
   * no wake, no vehicle quota and no reachability gate; test-mode error logins and injected faults
   * still apply (through the read pipeline, which raises them).
   */
  async cloud<T>(ctx: Ctx, cap: Capability | null, body: (s: SimState, t: number, meta: Meta) => T | Promise<T>): Promise<Reading<T>> {
    const s = await this.load(ctx.vehicleId);
    const meta = this.meta(s);
    if (cap && !meta.caps.has(cap)) throw new VehicleError({ kind: 'not_capable' });
    let state = s;
    if (s.trigger || s.faultLeft > 0) {
      // The read pipeline raises the pending error. When a concurrent call took the last injected
      // fault first, it passes: the cloud answers as usual, from the state as it is now.
      await this.read(ctx, cap, () => undefined);
      state = await this.load(ctx.vehicleId);
    }
    const t = this.now(state);
    const value = await body(state, t, meta);
    return { value, capturedAt: t, oemUpdatedAt: t, retrievedAt: t, source: 'live', woke: false };
  }

  /**
   * True when a zero-latency read can be answered without writing: no gate applies, the vehicle is
   * awake, no event is due, no live-refresh spacing, and its awake window would grow by under a minute.
   */
  private readOnly(s: SimState, meta: Meta, t: number, asleep: boolean): boolean {
    const p = meta.profile;
    if (asleep || s.trigger || s.faultLeft > 0 || s.service || s.offline || s.remoteOff || s.lv <= 0.02) return false;
    if (p.liveEveryMin > 0 || p.rules.noDataWhileDriving) return false;
    if (s.nextAt >= 0 && s.nextAt <= this.clock.now()) return false;
    const ev = nextEvent(s, meta.md);
    if (ev && ev.at <= t) return false;
    return t + p.sleepAfterMin * 60_000 - s.awakeUntil < 60_000 && t - s.oemAt < 60_000;
  }

  /** A command: gates, wake when asleep, quota, then `apply` (which checks preconditions before mutating). */
  async command(ctx: Ctx, cap: Capability | null, apply: (s: SimState, env: Env, events: VehicleEvent[]) => void): Promise<{ completedAt: number; woke: boolean }> {
    const pre = await this.load(ctx.vehicleId);
    const meta = this.meta(pre);
    if (cap && !meta.caps.has(cap)) throw new VehicleError({ kind: 'not_capable' });
    const p = meta.profile;
    const realistic = await this.wait(pre, meta, ctx, 'command', this.isAsleep(pre, meta, this.now(pre)));
    return this.engine.update(ctx.vehicleId, (s) => {
      const events: VehicleEvent[] = [];
      const t = this.now(s);
      advanceTo(s, meta.tctx, t, events);
      s.reqs++;
      try {
        this.gate(s, meta, t, 'command', realistic);
        if (p.rules.virtualKey && !s.virtualKey) throw new VehicleError({ kind: 'account', code: 'VIRTUAL_KEY_REQUIRED' });
        let woke = false;
        if (this.isAsleep(s, meta, t)) { this.wake(s, meta, t, realistic); woke = true; }
        this.spend(s, p, t, 'command', realistic);
        const view = evaluate(s, meta.md, t);
        apply(s, { meta, t, view }, events);
        s.oemAt = t;
        s.awakeUntil = Math.max(s.awakeUntil, t + p.sleepAfterMin * 60_000);
        refreshNextAt(s, meta.md);
        return { value: { completedAt: t, woke }, events };
      } catch (e) {
        if (!(e instanceof VehicleError)) throw e;
        refreshNextAt(s, meta.md);
        return { error: e, events };
      }
    });
  }

  /** Materialises every due event (charge complete, trip end) of every vehicle; returns how many vehicles. */
  async processDueEvents(limit = 500, maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const ids = await this.engine.dueIds(this.clock.now(), limit);
      if (ids.length === 0) break;
      await this.engine.updateEach(ids, (s) => {
        const meta = this.meta(s);
        const events = advanceTo(s, meta.tctx, this.now(s));
        refreshNextAt(s, meta.md);
        return events;
      });
      total += ids.length;
      if (ids.length < limit) break;
    }
    return total;
  }
}
