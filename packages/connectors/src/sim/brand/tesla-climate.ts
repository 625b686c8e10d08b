import { command, field, invalid, r1, read, type HandlerTable } from './call.js';
import { cabinOn, climateOf, hasWheelHeater, interiorC } from './climate.js';
import { brandState } from './sessions.js';
import { VehicleError } from '../../errors.js';

/** Tesla climate and thermometer endpoints. Set points are °C; in imperial requests the body's temperature is °F. */
const MIN_C = 15;
const MAX_C = 28;

function setPointC(body: unknown, imperial: boolean): number | undefined {
  const raw = field(body, 'temperature');
  if (raw === undefined || raw === null) return undefined;
  const n = Number(raw);
  const c = imperial ? ((n - 32) * 5) / 9 : n;
  if (!Number.isFinite(n) || c < MIN_C - 0.05 || c > MAX_C + 0.05) {
    throw invalid('temperature', imperial ? 'temperature must be between 59 and 82 °F' : `temperature must be between ${MIN_C} and ${MAX_C} °C`);
  }
  return r1(Math.min(MAX_C, Math.max(MIN_C, c)));
}

export const teslaClimate: HandlerTable = {
  'GET climate/cabin': { ev: false, run: (c) => read(c, (s, { view }) => ({ status: cabinOn(s, view) ? 'ON' : 'OFF', temperature: climateOf(s).setC })) },

  'POST climate/cabin': { ev: false, run: (c) => {
    const act = field(c.req.body, 'action');
    if (act !== 'START' && act !== 'STOP' && act !== 'SET') throw invalid('action', 'action must be START, STOP or SET');
    const setC = setPointC(c.req.body, c.ctx.unitSystem === 'imperial');
    if (act === 'SET' && setC === undefined) throw invalid('temperature', 'temperature is required to SET');
    return command(c, (s, { t, view }) => {
      const cl = { ...climateOf(s) };
      if (setC !== undefined) cl.setC = setC;
      if (act === 'START' && !cl.on) { cl.on = true; cl.since = t; }
      if (act === 'STOP') {
        if (cl.on) cl.since = t;
        cl.on = false; cl.defrost = false; cl.wheel = false;
      }
      brandState(s).climate = cl;
      return { status: cl.on || view.driving ? 'ON' : 'OFF', temperature: cl.setC };
    });
  } },

  'GET climate/defroster': { ev: false, run: (c) => read(c, (s) => {
    const st = climateOf(s).defrost ? 'ON' : 'OFF';
    return { frontStatus: st, rearStatus: st };
  }) },

  'POST climate/defroster': { ev: false, run: (c) => {
    const act = field(c.req.body, 'action');
    if (act !== 'START' && act !== 'STOP') throw invalid('action', 'action must be START or STOP');
    return command(c, (s, { t }) => {
      const cl = { ...climateOf(s) };
      if (act === 'START') {
        if (!cl.on) { cl.on = true; cl.since = t; }
        cl.defrost = true;
      } else cl.defrost = false;
      brandState(s).climate = cl;
      return { status: act };
    });
  } },

  'GET climate/steering_wheel': { ev: false, run: (c) => read(c, (s) => ({ status: !hasWheelHeater(s) ? 'UNAVAILABLE' : climateOf(s).wheel ? 'ON' : 'OFF' })) },

  'POST climate/steering_wheel': { ev: false, run: (c) => {
    const act = field(c.req.body, 'action');
    if (act !== 'START' && act !== 'STOP') throw invalid('action', 'action must be START or STOP');
    return command(c, (s, { t }) => {
      if (!hasWheelHeater(s)) throw new VehicleError({ kind: 'not_capable' }, 'this vehicle has no steering wheel heater');
      const cl = { ...climateOf(s) };
      if (act === 'START') {
        if (!cl.on) { cl.on = true; cl.since = t; }
        cl.wheel = true;
      } else cl.wheel = false;
      brandState(s).climate = cl;
      return { status: cl.wheel ? 'ON' : 'OFF' };
    });
  } },

  'GET thermometer/exterior': { ev: false, run: (c) => read(c, (_s, { view }) => ({ temperature: view.ambientC })) },
  'GET thermometer/interior': { ev: false, run: (c) => read(c, (s, { view }) => ({ temperature: interiorC(s, view) })) },
};
