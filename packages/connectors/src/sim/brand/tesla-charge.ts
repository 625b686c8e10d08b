import { electricTempFactor, rangeKm } from '../physics.js';
import { advanceTo, rollTo } from '../transitions.js';
import { action, command, field, hhmm, invalid, iso, r1, r3, read, type HandlerTable } from './call.js';
import { batteryDetails, chargeDetails } from '../charge-details.js';
import { completionAt, currentAmps, isDc, maxAmps, powerKw, requestedAmps, supply, voltage } from './electric.js';
import { chargePortControl } from '../commands.js';
import { billingRecords, chargeRecords } from './records.js';
import { brandState } from './sessions.js';
import type { ScheduleSlot } from './state.js';

/** Tesla charging endpoints (wire-contract §5.8): detailed state, meters, current, schedule, records, port door. */
const OFF: ScheduleSlot = { enabled: false, time: null };

export const teslaCharge: HandlerTable = {
  'GET charge': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => {
    const plugged = s.plugged === 1;
    const d = chargeDetails(s, md, view);
    const ideal = d.energyAddedKwh === null ? null : r1((d.energyAddedKwh * 100) / md.kwhPer100);
    return {
      amperage: d.amperage,
      completionTime: d.completesAt === null ? null : iso(d.completesAt),
      wattage: d.powerKw,
      voltage: d.voltage,
      isPluggedIn: plugged,
      state: view.charging ? 'CHARGING' : plugged && view.fullyCharged ? 'FULLY_CHARGED' : 'NOT_CHARGING',
      socLimit: s.limit,
      amperageMaxVehicle: d.amperageMax,
      socLimitMax: 1,
      socLimitMin: 0.5,
      socLimitDefault: 0.9,
      amperageRequested: d.amperageRequested,
      energyAdded: d.energyAddedKwh,
      rangeAddedRated: ideal === null ? null : r1(ideal / electricTempFactor(view.ambientC)),
      rangeAddedIdeal: ideal,
      chargeRate: d.rangeRateKmh,
      connector: plugged ? (s.region === 'EUROPE' ? 'IEC' : 'SAE') : null,
      fastChargerPresent: d.fastChargerPresent,
      fastChargerType: plugged ? (d.fastChargerPresent ? 'Supercharger' : 'ACSingleWireCAN') : null,
      fastChargerBrand: d.fastChargerPresent ? 'Tesla' : null,
      amperageMaxCharger: plugged ? d.amperageMax : null,
      chargePortColor: d.portColor,
      chargePortOpen: d.portOpen,
      chargePortLatch: plugged ? 'ENGAGED' : 'DISENGAGED',
      chargerPhases: d.phases,
    };
  }) },

  'GET battery': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => {
    const d = batteryDetails(s, md, view);
    const cold = view.ambientC < 0;
    const usable = cold ? Math.max(0, view.soc - Math.min(0.05, -view.ambientC * 0.002)) : view.soc;
    return {
      percentRemaining: r3(view.soc), range: rangeKm(md, view).battery, heaterOn: d.heaterOn,
      rangeEstimated: rangeKm(md, view).battery, rangeIdeal: d.rangeIdeal, percentRemainingUsable: r3(usable),
      maxRangeChargeCounter: d.maxRangeChargeCount, notEnoughPowerToHeat: cold && view.soc < 0.1,
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
    return command(c, (s, env, events) => { chargePortControl(act)(s, env, events); return action(); });
  } },
};
