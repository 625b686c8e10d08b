import { DEFAULT_LATENCY, UNLIMITED, type BehaviourProfile } from './types.js';

/** Volvo and Polestar: 100 requests/min general, 10 commands/min per user. */
export const volvo: BehaviourProfile = {
  id: 'volvo',
  latency: DEFAULT_LATENCY,
  sleepAfterMin: 30,
  deepSleepAfterH: null,
  asleepRead: 'cache',
  liveEveryMin: 0,
  quotaWindow: 60_000,
  quota: { data: 100, command: 10, wake: UNLIMITED },
  lv: { wakeDrain: 0.002, low: 0.3 },
  rules: {},
};
