import { describe, expect, it } from 'vitest';
import { evaluateTriggers, finaliseEvent, vehicleStateEvent } from '../src/index.js';

const obs = (v: unknown) => JSON.stringify({ value: v });

describe('API v3 trigger evaluation (pure)', () => {
  it('change triggers fire on any new value, never on the first observation or a signal not seen before', () => {
    const t = [{ code: 'closure-islocked' }, { code: 'charge-ischarging' }];
    expect(evaluateTriggers(t, null, { 'closure-islocked': obs(true) }, {}, 0).fired).toEqual([]);
    expect(evaluateTriggers(t, { 'closure-islocked': obs(true) }, { 'closure-islocked': obs(false), 'charge-ischarging': obs(true) }, {}, 0).fired).toEqual([{ code: 'closure-islocked' }]);
    expect(evaluateTriggers(t, { 'closure-islocked': obs(true) }, { 'closure-islocked': obs(true) }, {}, 0).fired).toEqual([]);
  });

  it('= and changed conditions, each with its own cooldown', () => {
    const eq = { code: 'charge-detailedchargingstatus', op: '=' as const, value: 'FULLY_CHARGED', cooldownSeconds: 60 };
    const ch = { code: 'location-preciselocation', op: 'changed' as const, cooldownSeconds: 300 };
    const prev = { [eq.code]: obs('CHARGING'), [ch.code]: '{"latitude":1}' };
    const r1 = evaluateTriggers([eq, ch], prev, { [eq.code]: obs('FULLY_CHARGED'), [ch.code]: '{"latitude":2}' }, {}, 1000);
    expect(r1.fired).toEqual([eq, ch]);
    const r2 = evaluateTriggers([eq, ch], { [eq.code]: obs('CHARGING'), [ch.code]: '{"latitude":2}' }, { [eq.code]: obs('FULLY_CHARGED'), [ch.code]: '{"latitude":3}' }, r1.firedAt, 1000 + 61_000);
    expect(r2.fired).toEqual([eq]);
    // A comparison against a signal that failed (no scalar) does not fire.
    expect(evaluateTriggers([{ code: 'x', op: '<', value: 5, cooldownSeconds: 0 }], { x: obs(9) }, { x: '!ERROR:VEHICLE_STATE:ASLEEP' }, {}, 0).fired).toEqual([]);
  });

  it('finalising an attempt changes only meta.deliveryId and meta.deliveredAt', () => {
    const stored = vehicleStateEvent({
      eventId: 'e1', webhookId: 'w', webhookName: 'n', sequence: 1, mode: 'LIVE', user: { id: 'u', externalId: null },
      vehicle: { id: 'v', make: 'TESLA', model: 'Model 3', year: 2024, mode: 'live', powertrainType: 'BEV' }, triggers: [{ code: 'FIRST_DELIVERY' }], signals: [],
    });
    const a = finaliseEvent(stored, 'd1', 5);
    expect(a).toBe(stored.replace('"deliveryId":"","deliveredAt":0', '"deliveryId":"d1","deliveredAt":5'));
    expect(JSON.stringify(JSON.parse(a))).toBe(a);
  });
});
