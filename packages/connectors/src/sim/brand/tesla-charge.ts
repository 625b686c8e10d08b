import { electricTempFactor, rangeKm } from '../physics.js';
import { OPEN_BITS } from '../state.js';
import { advanceTo, rollTo } from '../transitions.js';
import { action, command, field, hhmm, invalid, iso, precondition, r1, r3, read, type HandlerTable } from './call.js';
import {
  completionAt, currentAmps, energyAdded, isDc, maxAmps, powerKw, rangeRateKmh, requestedAmps, supply, voltage,
} from './electric.js';
import { billingRecords, chargeRecords } from './records.js';
import { brandState } from './sessions.js';
import type { ScheduleSlot } from './state.js';

/** Tesla charging endpoints (wire-contract §5.8): detailed state, meters, current, schedule, records, port door. */
const OFF: ScheduleSlot = { enabled: false, time: null };

export const teslaCharge: HandlerTable = {
  'GET charge': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => {
    const plugged = s.plugged === 1;
    const sup = supply(s, md, view.soc);
    const added = energyAdded(s, md, view);
    const ideal = added === null ? null : r1((added * 100) / md.kwhPer100);
    return {
      amperage: currentAmps(s, md, view),
      completionTime: view.charging && view.chargeDoneAt !== undefined ? iso(view.chargeDoneAt) : null,
      wattage: powerKw(s, view),
      voltage: plugged && view.charging ? sup.volts : 0,
      isPluggedIn: plugged,
      state: view.charging ? 'CHARGING' : plugged && view.fullyCharged ? 'FULLY_CHARGED' : 'NOT_CHARGING',
      socLimit: s.limit,
      amperageMaxVehicle: maxAmps(s, md),
      socLimitMax: 1,
      socLimitMin: 0.5,
      socLimitDefault: 0.9,
      amperageRequested: requestedAmps(s, md),
      energyAdded: added,
      rangeAddedRated: ideal === null ? null : r1(ideal / electricTempFactor(view.ambientC)),
      rangeAddedIdeal: ideal,
      chargeRate: rangeRateKmh(s, md, view),
      connector: plugged ? (s.region === 'EUROPE' ? 'IEC' : 'SAE') : null,
      fastChargerPresent: plugged && sup.dc,
      fastChargerType: plugged ? (sup.dc ? 'Supercharger' : 'ACSingleWireCAN') : null,
      fastChargerBrand: plugged && sup.dc ? 'Tesla' : null,
      amperageMaxCharger: plugged ? maxAmps(s, md) : null,
      chargePortColor: !plugged ? 'OFF' : view.charging ? 'GREEN' : 'BLUE',
      chargePortOpen: (s.open & OPEN_BITS.chargePort) !== 0,
      chargePortLatch: plugged ? 'ENGAGED' : 'DISENGAGED',
      chargerPhases: plugged && !sup.dc ? sup.phases : null,
    };
  }) },

  'GET battery': { ev: true, run: (c) => read(c, (_s, { meta: { md }, view }) => {
    const cap = md.batteryKwh ?? 0;
    const ideal = r1((view.soc * cap * 100) / md.kwhPer100);
    const cold = view.ambientC < 0;
    const usable = cold ? Math.max(0, view.soc - Math.min(0.05, -view.ambientC * 0.002)) : view.soc;
    return {
      percentRemaining: r3(view.soc), range: rangeKm(md, view).battery, heaterOn: cold && view.charging,
      rangeEstimated: rangeKm(md, view).battery, rangeIdeal: ideal, percentRemainingUsable: r3(usable),
      maxRangeChargeCounter: 0, notEnoughPowerToHeat: cold && view.soc < 0.1,
    };
  }) },

  'GET charge/completion': { ev: true, run: (c) => read(c, (_s, { view }) => ({ time: iso(completionAt(view)) })) },
  'GET charge/voltmeter': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => ({ voltage: voltage(s, md, view) })) },
  'GET charge/wattmeter': { ev: true, run: (c) => read(c, (s, { view }) => ({ wattage: powerKw(s, view) })) },
  'GET charge/ammeter': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => ({ amperage: view.charging ? currentAmps(s, md, view) : requestedAmps(s, md) })) },

  'POST charge/ammeter': { ev: true, run: (c) => {
    const wanted = Number(field(c.req.body, 'amperage'));
    if (!(Number.isFinite(wanted) && wanted >= 1)) throw invalid('amperage', 'amperage must be a positive number');
    return command(c, (s, { meta: { md, tctx }, t }, events) => {
      const amps = Math.min(Math.round(wanted), maxAmps(s, md));
      rollTo(s, tctx, t);
      s.amps = amps;
      brandState(s).ampsSet = true;
      if (!isDc(s, md)) {
        const sup = supply(s, md, s.soc);
        s.chargeKw = Math.round((amps * sup.volts * sup.phases) / 10) / 100;
      }
      advanceTo(s, tctx, t, events);
      return action(`Successfully sent request to vehicle. amperage: ${amps}`);
    });
  } },

  'GET charge/schedule': { ev: true, run: (c) => read(c, (s) => s.brand?.schedule ?? { departureTime: OFF, startTime: OFF }) },

  'POST charge/schedule': { ev: true, run: (c) => {
    const type = field(c.req.body, 'type');
    const enable = field(c.req.body, 'enable');
    const time = field(c.req.body, 'time');
    if (type !== 'START_TIME' && type !== 'DEPARTURE_TIME') throw invalid('type', 'type must be START_TIME or DEPARTURE_TIME');
    if (typeof enable !== 'boolean') throw invalid('enable', 'enable must be a boolean');
    const hm = time === undefined || time === null ? null : hhmm(time, 'time');
    const key = type === 'START_TIME' ? 'startTime' : 'departureTime';
    return command(c, (s) => {
      const slotTime = hm ?? s.brand?.schedule?.[key].time ?? null;
      if (enable && slotTime === null) throw invalid('time', 'time is required to enable a schedule');
      const sched = (brandState(s).schedule ??= { departureTime: { ...OFF }, startTime: { ...OFF } });
      sched[key] = { enabled: enable, time: slotTime };
      return { departureTime: { ...sched.departureTime }, startTime: { ...sched.startTime } };
    });
  } },

  'GET charge/records/billing': { ev: true, run: (c) => read(c, (s, { meta: { md }, t }) => billingRecords(c, s, md, t)) },
  'GET charge/records': { ev: true, run: (c) => read(c, (s, { meta: { md }, t }) => chargeRecords(c, s, md, t)) },

  'POST charge/charge_port_door': { ev: true, run: (c) => {
    const act = field(c.req.body, 'action');
    if (act !== 'OPEN' && act !== 'CLOSE') throw invalid('action', 'action must be OPEN or CLOSE');
    return command(c, (s, { view }) => {
      if (view.driving) throw precondition('IN_MOTION');
      if (act === 'CLOSE' && s.plugged) throw precondition('CHARGING_PLUG_CONNECTED');
      s.open = act === 'OPEN' ? s.open | OPEN_BITS.chargePort : s.open & ~OPEN_BITS.chargePort;
      return action();
    });
  } },
};
