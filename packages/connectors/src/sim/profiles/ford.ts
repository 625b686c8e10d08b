import { UNLIMITED, type BehaviourProfile } from './types.js';
import { standard } from './standard.js';

/** Ford and Lincoln: OEM cache while asleep; moderate quotas. */
export const ford: BehaviourProfile = {
  ...standard,
  id: 'ford',
  quota: { data: 500, command: 100, wake: UNLIMITED },
};
