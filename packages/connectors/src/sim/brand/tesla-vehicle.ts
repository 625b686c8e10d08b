import { VehicleError } from '../../errors.js';
import { rand01 } from '../hash.js';
import { evaluate } from '../physics.js';
import { dtcs } from '../readings.js';
import { OPEN_BITS } from '../state.js';
import { action, cloud, command, field, invalid, iso, precondition, read, type BrandCall, type HandlerTable } from './call.js';
import { accountAccess, headingOf, isAtHome, isOnline, surveillance } from '../vehicle-status.js';
import { brandState } from './sessions.js';
import { exteriorColor, firmwareVersion, nickname, pick, teslaBadge, teslaDualMotor, teslaPerformance, TESLA_WHEELS } from '../vehicle-details.js';

/** Tesla vehicle endpoints: frunk/trunk, alerts, compass, speed, attributes, status, account, PIN to drive. */
const DIRECTIONS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

function closure(bit: number) {
  return { ev: false, run: (c: BrandCall) => {
    const act = field(c.req.body, 'action');
    if (act !== 'OPEN' && act !== 'CLOSE') throw invalid('action', 'action must be OPEN or CLOSE');
    return command(c, (s, { view }) => {
      if (view.driving) throw precondition('IN_MOTION');
      s.open = act === 'OPEN' ? s.open | bit : s.open & ~bit;
      return action();
    });
  } };
}

export const teslaVehicle: HandlerTable = {
  'POST security/frunk': closure(OPEN_BITS.front),
  'POST security/trunk': closure(OPEN_BITS.rear),

  'GET alerts': { ev: false, run: (c) => read(c, (s, { t, view }) => {
    const alerts: { name: string; dateTime: string; audience: string[]; userText: string }[] = [];
    const add = (name: string, at: number, userText: string, audience = ['customer']) => alerts.push({ name, dateTime: iso(at), audience, userText });
    const doors = OPEN_BITS.doorFL | OPEN_BITS.doorFR | OPEN_BITS.doorBL | OPEN_BITS.doorBR;
    if (s.open & doors) add('VCLEFT_a_doorOpen', t, 'A door is open');
    if (s.open & OPEN_BITS.front) add('VCFRONT_a_frunkOpen', t, 'Front trunk is open');
    if (s.open & OPEN_BITS.rear) add('VCREAR_a_trunkOpen', t, 'Rear trunk is open');
    if (view.lv < 0.3) add('VCFRONT_a_lowVoltageBattery', t, '12V battery needs service', ['customer', 'service']);
    if (view.soc < 0.1) add('BMS_a_lowStateOfCharge', t, 'Battery charge low - charge now');
    const last = s.brand?.sessions?.at(-1);
    if (s.plugged && view.fullyCharged && last) add('CHG_a_chargingComplete', last[1], 'Charging complete');
    for (const d of dtcs(s, 'BEV').activeCodes) add(`DIAG_${d.code}`, d.timestamp ? Date.parse(d.timestamp) : t, 'Service recommended', ['service']);
    return { alerts };
  }) },

  'GET compass': { ev: false, run: (c) => read(c, (s, { view }) => {
    const heading = headingOf(s, view);
    return { direction: DIRECTIONS[Math.round(heading / 45) % 8]!, heading };
  }) },

  'GET speedometer': { ev: false, run: (c) => read(c, (_s, { view }) => ({ speed: view.speedKmh })) },

  'GET attributes': { ev: false, run: (c) => read(c, (s, { meta: { md }, t, view }) => {
    const x = (salt: number) => rand01(s.seed, salt);
    const perf = teslaPerformance(s);
    const dual = teslaDualMotor(s);
    const abbr = md.model.startsWith('Model ') ? `M${md.model.slice(6)}` : md.model.slice(0, 2).toUpperCase();
    const [wheelStyle, diameter] = pick(TESLA_WHEELS, x(0xa5));
    return {
      id: s.id, make: s.make, model: md.model, year: s.year,
      firmwareVersion: firmwareVersion(s, t),
      trimBadging: teslaBadge(s, md),
      efficiencyPackage: `${abbr}${s.year}`,
      performancePackage: perf ? 'Performance' : 'Base',
      nickname: nickname(s),
      driverAssistVersion: s.year >= 2023 ? 'HW4' : s.year >= 2019 ? 'HW3' : 'HW2.5',
      atHome: isAtHome(view),
      sentryMode: { available: true, enabled: surveillance(s, view).enabled },
      style: { exteriorColor: exteriorColor(s), exteriorTrim: x(0xa7) < 0.5 ? 'Chrome' : 'Black', interiorTrim: x(0xa8) < 0.7 ? 'Black' : 'White' },
      wheel: { style: wheelStyle, diameter },
      driveUnit: { front: dual ? 'PermanentMagnet' : null, rear: s.year < 2021 && md.model !== 'Model 3' && md.model !== 'Model Y' ? 'Induction' : 'PermanentMagnet' },
    };
  }) },

  'GET status': { ev: false, run: (c) => cloud(c, (s, t) => {
    const driving = evaluate(s, c.meta.md, t).driving;
    const status = !isOnline(s) ? 'OFFLINE' : c.sim.isAsleep(s, c.meta, t) ? 'ASLEEP' : 'AWAKE';
    return { status, inService: s.service === 1, gear: driving ? 'DRIVE' : 'PARK' };
  }) },

  'GET migration': { ev: false, run: (c) => cloud(c, () => ({ requiresMigration: false })) },
  'GET virtual_key': { ev: false, run: (c) => cloud(c, (s) => ({ isPaired: s.virtualKey === 1 })) },

  'GET user/access': { ev: false, run: (c) => cloud(c, (s) => {
    const { role, permissions } = accountAccess(s);
    return { accessType: role, permissions };
  }) },

  'GET user/info': { ev: false, run: (c) => cloud(c, async (s) => {
    const account = await c.sim.engine.account(s.accountId);
    if (!account) throw new VehicleError({ kind: 'account', code: 'VEHICLE_MISSING' });
    return { email: account.email };
  }) },

  'POST pin': { ev: false, run: (c) => {
    const pin = field(c.req.body, 'pin');
    if (typeof pin !== 'string' || !/^\d{4}$/.test(pin)) throw invalid('pin', 'pin must be 4 digits');
    return command(c, (s) => { brandState(s).pin = pin; return action(); });
  } },
  'DELETE pin': { ev: false, run: (c) => command(c, (s) => { if (s.brand) delete s.brand.pin; return action(); }) },
};
