import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** Ford and Lincoln: OEM cache while asleep; moderate quotas. */
export const ford: BehaviourProfile = {
  id: 'ford',
  latency: DEFAULT_LATENCY,
  sleepAfterMin: 30,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 500, command: 100, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: {},
};
