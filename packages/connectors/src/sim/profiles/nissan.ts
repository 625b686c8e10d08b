import { DEFAULT_LATENCY, type BehaviourProfile } from './types.js';
import { ford } from './ford.js';

/** Nissan and Infiniti: STOP charge unsupported in the US (START only); slow cellular commands. */
export const nissan: BehaviourProfile = {
  ...ford,
  id: 'nissan',
  latency: { ...DEFAULT_LATENCY, command: { min: 15, median: 40, max: 120 } },
  rules: { stopUnsupportedIn: ['US'] },
};
