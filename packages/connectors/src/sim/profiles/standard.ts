import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** Brands without documented quirks: sleep after 30 min, OEM cache while asleep, generous quotas. */
export const standard: BehaviourProfile = {
  id: 'standard',
  latency: DEFAULT_LATENCY,
  sleepAfterMin: 30,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 1000, command: 200, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: {},
};
