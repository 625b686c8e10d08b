import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** BMW and MINI: ~120 calls a day per vehicle, reset 00:00 UTC; cache while asleep. */
export const bmw: BehaviourProfile = {
  id: 'bmw',
  latency: DEFAULT_LATENCY,
  sleepAfterMin: 30,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 120, command: 120, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: {},
};
