import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** Honda and Acura: sleep after about a week idle; no data while the ignition is on. */
export const honda: BehaviourProfile = {
  id: 'honda',
  latency: DEFAULT_LATENCY,
  sleepAfterMin: 7 * 24 * 60,
  deepSleepAfterH: null,
  asleepRead: 'error',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 500, command: 100, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: { noDataWhileDriving: true },
};
