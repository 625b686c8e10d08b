import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/**
 * Hyundai, Kia, Genesis: at most one live refresh per 72 min (20 per 24 h), otherwise the OEM cache;
 * forced refreshes wake the car and drain the 12 V battery hard (a car died after ~150–200 calls).
 */
export const hyundaiKia: BehaviourProfile = {
  id: 'hyundai-kia',
  latency: { ...DEFAULT_LATENCY, live: { min: 10, median: 25, max: 60 } },
  sleepAfterMin: 20,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 72,
  quotaWindow: 'utc-day',
  quota: { data: 20, command: 30, wake: UNLIMITED },
  lv: { wakeDrain: 0.005, low: 0.3 },
  rules: {},
};
