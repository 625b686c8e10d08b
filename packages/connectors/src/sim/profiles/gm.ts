import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/**
 * GM (Chevrolet, Cadillac, Buick, GMC): deep sleep after 3–4 days idle with no answer until an
 * ignition cycle; charge commands refused below 50 % SoC; slow OnStar round trips.
 */
export const gm: BehaviourProfile = {
  id: 'gm',
  latency: { ...DEFAULT_LATENCY, live: { min: 8, median: 20, max: 60 }, command: { min: 10, median: 30, max: 90 } },
  sleepAfterMin: 60,
  deepSleepAfterH: 84,
  asleepRead: 'wake',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 500, command: 100, wake: UNLIMITED },
  lv: { wakeDrain: 0.003, low: 0.3 },
  rules: { minSocForChargeCommands: 0.5 },
};
