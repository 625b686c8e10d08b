import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** Nissan and Infiniti: STOP charge unsupported in the US (START only); slow cellular commands. */
export const nissan: BehaviourProfile = {
  id: 'nissan',
  latency: { ...DEFAULT_LATENCY, command: { min: 15, median: 40, max: 120 } },
  sleepAfterMin: 30,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 500, command: 100, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: { stopUnsupportedIn: ['US'] },
};
