import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import { IntegrationsRepo, IntegrationWatchRepo, WebhooksRepo, type DeliveryRow, type IntegrationSubscription, type Storage, type WatchRow } from '@opencar/storage';
import { newDelivery } from '../outbox.js';
import { stableId } from '../sign.js';
import { evaluateTriggers, observedValue, type Observed, type SignalItem } from './evaluate.js';
import { vehicleErrorEvent, vehicleStateEvent, type EventUser, type EventVehicle } from './payload.js';
import type { Trigger } from './triggers.js';
import { errorChanges, errorItem, openErrors, type OpenError } from './vehicle-errors.js';

/**
 * What one read of a subscribed vehicle gave: who and what it is, and each asked signal with its
 * status; or, observed without waking, that the vehicle sleeps (`asleep`, nothing read).
 */
export interface VehicleSnapshot { user: EventUser; vehicle: EventVehicle; signals: SignalItem[]; asleep?: boolean }

/** How long a vehicle observed without waking may sleep before it is a VEHICLE_ERROR (VEHICLE_STATE ASLEEP): a day. */
export const ASLEEP_BUDGET_MS = 24 * 3_600_000;

/**
 * Reads the given signal codes of a vehicle for the owner a subscription serves (the platform reads
 * through the vehicle's connector with the permissions that owner granted). Undefined when the
 * connection is gone.
 */
export type SnapshotReader = (sub: { appId: string; userId: string; vehicleId: string }, codes: string[]) => Promise<VehicleSnapshot | undefined>;

export interface IntegrationEventsOptions {
  storage: Storage;
  clock: Clock;
  log: Logger;
  read: SnapshotReader;
  /** For the docURL of vehicle errors. */
  publicUrl: string;
  /** Called after events were queued (wakes the deliverer). */
  onQueued?: () => void;
  /** How long an asleep vehicle is skipped before its sleep is reported as a VEHICLE_ERROR (default ASLEEP_BUDGET_MS). */
  asleepBudgetMs?: number;
}

class Conflict extends Error {}

/**
 * How long (real time) an answer to "does any enabled integration watch a vehicle?" stands. While
 * the last answer was no, committed changes are held and checked again when it is this old: in the
 * app with no enabled integration a fleet's commits cost one small query per period, and a change
 * made while another process was enabling an integration is observed at most this much later.
 */
export const WATCH_CHECK_MS = 250;
const OBSERVE_CHUNK = 500;

const parse = <T>(s: string | null | undefined, fallback: T): T => (s ? (JSON.parse(s) as T) : fallback);

/**
 * Produces API v3 events. Each observation of a vehicle reads the data signals and trigger codes of
 * every enabled integration it is subscribed to, compares them with what was last seen and queues,
 * in one transaction with the new state (compare-and-set, so several processes queue each event
 * once): FIRST_DELIVERY after a subscription, VEHICLE_STATE when triggers fire, VEHICLE_ERROR when
 * errors start or end. Events go through the v2 outbox (per-vehicle order, backoff, dead letters).
 */
export class IntegrationEvents {
  private readonly pending = new Set<string>();
  private draining: Promise<void> | null = null;
  /** Vehicles being observed by this process: a change their own reads cause does not start another observation. */
  private readonly observing = new Set<string>();

  private timer: NodeJS.Timeout | null = null;
  /** Since when each vehicle has been seen asleep by this process (observations without waking). */
  private readonly asleepSince = new Map<string, number>();
  /** The last answer to "is any vehicle watched?" and when (performance.now()) the check started. */
  private watched: { any: boolean; at: number } | undefined;
  /** Ends the wait for the next check early (a subscription here, or closing). */
  private wakeHold: (() => void) | undefined;

  constructor(private readonly o: IntegrationEventsOptions) {}

  /** Observes every subscribed vehicle every `everyMs` (real time), for changes nothing else reports. */
  start(everyMs: number): void {
    if (this.timer) return;
    const loop = async () => {
      try { await this.sweep(); } catch (err) { this.o.log.error({ err }, 'integration sweep failed'); }
      if (this.timer) { this.timer = setTimeout(() => void loop(), everyMs); this.timer.unref?.(); }
    };
    this.timer = setTimeout(() => void loop(), everyMs);
    this.timer.unref?.();
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.recheck();
    await this.idle();
  }

  /** Forgets the last "is any vehicle watched?" answer: the next observation asks storage again. */
  recheck(): void {
    this.watched = undefined;
    this.wakeHold?.();
  }

  /** One observation of every vehicle subscribed to an enabled integration (bounded to 100,000 vehicles). */
  async sweep(): Promise<number> {
    const ids = await new IntegrationWatchRepo(this.o.storage.db).watchedVehicles(100_000);
    // Vehicles no longer watched are forgotten here, so the asleep clock stays bounded by the watch list.
    const watched = new Set(ids);
    for (const id of this.asleepSince.keys()) if (!watched.has(id)) this.asleepSince.delete(id);
    let queued = 0;
    for (let i = 0; i < ids.length; i += 200) queued += await this.observe(ids.slice(i, i + 200));
    return queued;
  }

  /** Asks for an observation of these vehicles soon (after the change that caused it has committed). */
  notify(vehicleIds: Iterable<string>): void {
    for (const id of vehicleIds) if (!this.observing.has(id)) this.pending.add(id);
    if (this.pending.size > 0 && !this.draining) this.draining = this.drain().finally(() => { this.draining = null; });
  }

  /** Resolves when every notified vehicle has been observed (tests; bounded). */
  async idle(): Promise<void> {
    for (let i = 0; i < 100 && (this.draining || this.pending.size > 0); i++) {
      if (!this.draining && this.pending.size > 0) this.notify([]);
      await this.draining;
    }
  }

  private async drain(): Promise<void> {
    for (let round = 0; round < 1000 && this.pending.size > 0; round++) {
      try {
        const w = this.watched;
        const age = w ? performance.now() - w.at : Infinity;
        if (w && !w.any && age < WATCH_CHECK_MS) {
          // Nothing was watched when last asked; these changes may be newer than that answer: ask again when it expires.
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, WATCH_CHECK_MS - age);
            t.unref?.();
            this.wakeHold = () => { clearTimeout(t); resolve(); };
          });
          this.wakeHold = undefined;
          continue;
        }
        const ids = [...this.pending];
        this.pending.clear();
        if (age >= WATCH_CHECK_MS) {
          // Asked after every change in `ids` committed: when nothing is watched, none of them has anything to observe.
          const at = performance.now();
          const any = (await new IntegrationWatchRepo(this.o.storage.db).watchedVehicles(1)).length > 0;
          this.watched = { any, at };
          if (!any) continue;
        }
        await this.observe(ids);
      } catch (err) { this.o.log.error({ err }, 'integration trigger evaluation failed'); }
    }
  }

  /** Observes vehicles now; returns the number of events queued. */
  async observe(vehicleIds: string[], onlyWebhookId?: string): Promise<number> {
    const repo = new IntegrationsRepo(this.o.storage.db);
    const subs: IntegrationSubscription[] = [];
    for (let i = 0; i < vehicleIds.length; i += OBSERVE_CHUNK) {
      for (const sub of await repo.active(vehicleIds.slice(i, i + OBSERVE_CHUNK))) if (onlyWebhookId === undefined || sub.webhook.id === onlyWebhookId) subs.push(sub);
    }
    // Chunks each come in storage's order (integration age, then vehicle): keep that order across them.
    if (vehicleIds.length > OBSERVE_CHUNK) subs.sort((a, b) => a.webhook.created_at - b.webhook.created_at || (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0));
    let queued = 0;
    for (const sub of subs) {
      this.observing.add(sub.vehicleId);
      try { queued += await this.observeOne(sub); } catch (err) {
        this.o.log.error({ err, webhookId: sub.webhook.id, vehicleId: sub.vehicleId }, 'integration observation failed');
      } finally { this.observing.delete(sub.vehicleId); }
    }
    if (queued > 0) this.o.onQueued?.();
    return queued;
  }

  /** FIRST_DELIVERY for a new subscription (IntegrationService's onSubscribed hook), also when the vehicle was subscribed before. */
  async subscribed(webhookId: string, vehicleId: string): Promise<void> {
    this.recheck();
    await new IntegrationWatchRepo(this.o.storage.db).restart(webhookId, vehicleId);
    await this.observe([vehicleId], webhookId);
  }

  private async observeOne(sub: IntegrationSubscription): Promise<number> {
    const hook = sub.webhook;
    const triggers = parse<Trigger[]>(hook.triggers, []);
    const dataSignals = parse<string[]>(hook.signals, []);
    const codes = [...new Set([...dataSignals, ...triggers.map((t) => t.code)])];
    const snap = await this.o.read({ appId: hook.app_id, userId: sub.userId, vehicleId: sub.vehicleId }, codes);
    if (!snap) return 0;
    // A sleeping vehicle observed without waking is skipped: nothing is compared or sent until it has
    // slept past the budget, then only its sleep is reported (VEHICLE_ERROR VEHICLE_STATE ASLEEP).
    const asleep = snap.asleep === true;
    if (asleep) {
      const since = this.asleepSince.get(sub.vehicleId) ?? this.o.clock.now();
      this.asleepSince.set(sub.vehicleId, since);
      if (this.o.clock.now() - since < (this.o.asleepBudgetMs ?? ASLEEP_BUDGET_MS)) return 0;
    } else this.asleepSince.delete(sub.vehicleId);
    const byCode = new Map(snap.signals.map((s) => [s.code, s]));
    const current: Observed = {};
    for (const s of snap.signals) current[s.code] = observedValue(s);
    const data = dataSignals.map((c) => byCode.get(c)).filter((s): s is SignalItem => s !== undefined);
    const errorsFrom = (before: OpenError[]): OpenError[] => (asleep
      ? [...before.filter((e) => !(e.type === 'VEHICLE_STATE' && e.code === 'ASLEEP')), { type: 'VEHICLE_STATE', code: 'ASLEEP', signals: codes }]
        .sort((a, b) => (a.type === b.type ? a.code.localeCompare(b.code) : a.type.localeCompare(b.type)))
      : openErrors(snap.signals));
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await this.o.storage.db.transaction().execute(async (trx) => {
          const watch = new IntegrationWatchRepo(trx);
          const prev = await watch.get(hook.id, sub.vehicleId);
          const now = this.o.clock.now();
          let sequence = prev?.sequence ?? 0;
          const rows: DeliveryRow[] = [];
          const common = () => ({
            eventId: stableId(hook.id, sub.vehicleId, String(sequence)), webhookId: hook.id, webhookName: hook.name, sequence,
            mode: snap.vehicle.mode === 'live' ? 'LIVE' as const : 'TEST' as const, user: snap.user, vehicle: snap.vehicle,
          });
          const queue = (eventType: string, body: string, eventId: string) => rows.push(newDelivery({
            id: eventId, webhookId: hook.id, appId: hook.app_id, orderKey: sub.vehicleId, eventName: eventType, body, now,
          }));
          const first = !asleep && (!prev || prev.first_sent === 0);
          const evaluation = asleep
            ? { fired: [], firedAt: parse<Record<string, number>>(prev?.fired, {}) }
            : evaluateTriggers(triggers, first ? null : parse<Observed>(prev?.observed, {}), current, parse(prev?.fired, {}), now);
          if (first || evaluation.fired.length > 0) {
            sequence++;
            const c = common();
            queue('VEHICLE_STATE', vehicleStateEvent({ ...c, triggers: first ? [{ code: 'FIRST_DELIVERY' }] : evaluation.fired, signals: data }), c.eventId);
          }
          const errorsBefore = parse<OpenError[]>(prev?.errors, []);
          const errorsNow = errorsFrom(errorsBefore);
          const changes = errorChanges(errorsBefore, errorsNow);
          if (changes.length > 0) {
            sequence++;
            const c = common();
            queue('VEHICLE_ERROR', vehicleErrorEvent({ ...c, errors: changes.map((x) => errorItem(this.o.publicUrl, x.state, x.error)) }), c.eventId);
          }
          const next: WatchRow = {
            webhook_id: hook.id, vehicle_id: sub.vehicleId, version: (prev?.version ?? 0) + 1, observed: asleep ? prev?.observed ?? '{}' : JSON.stringify(current),
            fired: JSON.stringify(evaluation.firedAt), sequence, errors: JSON.stringify(errorsNow), first_sent: asleep ? prev?.first_sent ?? 0 : 1, updated_at: now,
          };
          if (prev && rows.length === 0 && prev.observed === next.observed && prev.errors === next.errors) return 0;
          if (!(await watch.save(next))) throw new Conflict();
          await new WebhooksRepo(trx).enqueue(rows);
          return rows.length;
        });
      } catch (e) {
        if (e instanceof Conflict) continue;
        throw e;
      }
    }
    return 0;
  }
}
