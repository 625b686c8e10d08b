import { iso, r3, read, type HandlerTable } from './call.js';
import { powerKw, rangeRateKmh, supply } from './electric.js';

/** Audi: detailed charge state (EVs only). Power in kW, charge rate in km of range per hour. */
export const audi: HandlerTable = {
  'GET charge': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => {
    const plugged = s.plugged === 1;
    const full = plugged && view.fullyCharged;
    return {
      chargingStatus: view.charging ? 'CHARGING' : full ? 'FULLY_CHARGED' : plugged ? 'READY_FOR_CHARGING' : 'NOT_READY_FOR_CHARGING',
      isPluggedIn: plugged,
      wattage: powerKw(s, view),
      chargeRate: rangeRateKmh(s, md, view),
      chargeType: view.charging ? (supply(s, md, view.soc).dc ? 'DC' : 'AC') : 'OFF',
      chargePortColor: !plugged ? 'OFF' : view.charging ? 'GREEN' : full ? 'GREEN' : 'WHITE',
      chargePortLatch: plugged ? 'LOCKED' : 'UNLOCKED',
      completionTime: view.charging && view.chargeDoneAt !== undefined ? iso(view.chargeDoneAt) : null,
      chargeMode: 'manual',
      socLimit: r3(s.limit),
      externalPowerStatus: !plugged ? 'UNAVAILABLE' : view.charging ? 'ACTIVE' : 'READY',
    };
  }) },
};
