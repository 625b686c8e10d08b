import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** Volkswagen group: data arrives in 15-minute batches (EU Data Act portal) — live refresh at most every 15 min. */
export const vw: BehaviourProfile = {
  id: 'vw',
  latency: DEFAULT_LATENCY,
  sleepAfterMin: 30,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 15,
  quotaWindow: 'utc-day',
  quota: { data: 500, command: 60, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: {},
};
