import { UNLIMITED, type BehaviourProfile } from './types.js';
import { standard } from './standard.js';

/** BMW and MINI: ~120 calls a day per vehicle, reset 00:00 UTC; cache while asleep. */
export const bmw: BehaviourProfile = {
  ...standard,
  id: 'bmw',
  quota: { data: 120, command: 120, wake: UNLIMITED },
};
