import type { SignalItem } from './evaluate.js';
import type { Trigger } from './triggers.js';

/** `data.user` and `data.vehicle` of a payload 4.0 event. */
export interface EventUser { id: string; externalId: string | null }
export interface EventVehicle { id: string; make: string; model: string; year: number; mode: 'live' | 'simulated'; powertrainType: string }

/** One vehicle error as VEHICLE_ERROR reports it when it starts (ERROR) and when it ends (RESOLVED). */
export interface VehicleErrorItem {
  type: string;
  code: string;
  state: 'ERROR' | 'RESOLVED';
  description: string;
  suggestedUserMessage: string;
  docURL: string;
  resolution: { type: string };
  signals: string[];
}

export type EventType = 'VEHICLE_STATE' | 'VEHICLE_ERROR';

interface Common { eventId: string; webhookId: string; webhookName: string; sequence: number; mode: 'LIVE' | 'TEST'; user: EventUser; vehicle: EventVehicle }

/**
 * The stored form of a payload 4.0 event: compact JSON whose `meta.deliveryId` and
 * `meta.deliveredAt` are filled per attempt by `finaliseEvent`. Keys are always written in the
 * same order, so the body re-serialises byte for byte.
 */
export function vehicleStateEvent(e: Common & { triggers: (Trigger | { code: 'FIRST_DELIVERY' })[]; signals: SignalItem[] }): string {
  return JSON.stringify({
    eventId: e.eventId,
    eventType: 'VEHICLE_STATE',
    data: {
      user: { id: e.user.id, externalId: e.user.externalId },
      vehicle: vehicleOf(e.vehicle),
      triggers: e.triggers.map((t) => ({ ...t })),
      signals: e.signals.map(signalOf),
    },
    meta: meta(e, e.signals.length),
  });
}

export function vehicleErrorEvent(e: Common & { errors: VehicleErrorItem[] }): string {
  return JSON.stringify({
    eventId: e.eventId,
    eventType: 'VEHICLE_ERROR',
    data: {
      user: { id: e.user.id, externalId: e.user.externalId },
      vehicle: vehicleOf(e.vehicle),
      errors: e.errors.map((x) => ({
        type: x.type, code: x.code, state: x.state, description: x.description, suggestedUserMessage: x.suggestedUserMessage,
        docURL: x.docURL, resolution: { type: x.resolution.type }, signals: [...x.signals],
      })),
    },
    meta: meta(e, new Set(e.errors.flatMap((x) => x.signals)).size),
  });
}

const vehicleOf = (v: EventVehicle) => ({ id: v.id, make: v.make, model: v.model, year: v.year, mode: v.mode, powertrainType: v.powertrainType });

const signalOf = (s: SignalItem) => ({
  code: s.code, name: s.name, group: s.group, body: s.body,
  status: s.status.error ? { value: s.status.value, error: { type: s.status.error.type, code: s.status.error.code } } : { value: s.status.value },
  meta: { oemUpdatedAt: s.meta.oemUpdatedAt, retrievedAt: s.meta.retrievedAt },
});

const meta = (e: Common, signalCount: number) => ({
  version: '4.0', deliveryId: '', deliveredAt: 0, webhookId: e.webhookId, webhookName: e.webhookName, sequence: e.sequence, signalCount, mode: e.mode,
});

/**
 * The bytes of one delivery attempt: the stored event with this attempt's `deliveryId` and
 * `deliveredAt` (epoch ms). `eventId` and everything else stay as stored, so retries of one event
 * differ only there; the signature is computed over exactly these bytes.
 */
export function finaliseEvent(stored: string, deliveryId: string, deliveredAt: number): string {
  const event = JSON.parse(stored) as { meta: Record<string, unknown> };
  event.meta.deliveryId = deliveryId;
  event.meta.deliveredAt = deliveredAt;
  return JSON.stringify(event);
}

/** Where an event goes: vehicle errors to the integration's error URL when it has one. */
export function eventUrl(eventType: string, url: string, errorUrl: string | null): string {
  return eventType === 'VEHICLE_ERROR' && errorUrl ? errorUrl : url;
}
