import { DEFAULT_LATENCY, type BehaviourProfile } from './types.js';

/**
 * Tesla: sleeps ~15 min after activity once left unpolled (TeslaMate), reads wake it at ~30 s each
 * (wakes are the expensive class), daily per-vehicle quotas reset at 00:00 UTC (historic Discovery
 * tier: 200 data, 50 commands, 15 wakes), commands need a paired virtual key.
 */
export const tesla: BehaviourProfile = {
  id: 'tesla',
  latency: { ...DEFAULT_LATENCY, live: { min: 1, median: 3, max: 9 }, wake: { min: 15, median: 30, max: 45 } },
  sleepAfterMin: 15,
  deepSleepAfterH: null,
  asleepRead: 'wake',
  liveEveryMin: 0,
  quotaWindow: 'utc-day',
  quota: { data: 200, command: 50, wake: 15 },
  lv: { wakeDrain: 0.001, low: 0.2 },
  rules: { virtualKey: true },
};
