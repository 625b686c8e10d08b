import { haversineKm } from '../route.js';
import type { SimState } from '../state.js';
import { advanceTo, rollTo } from '../transitions.js';
import { command, field, invalid, r3, read, type HandlerTable } from './call.js';
import { brandState } from './sessions.js';
import type { FordLocation } from './state.js';
import { windows } from './windows.js';

/**
 * Ford and Lincoln: charge schedules per charging location (EVs only). Setting the location the
 * vehicle is parked at also applies its charge limit now; other locations apply when it charges there.
 */
const SAME_PLACE_KM = 0.2;
const MAX_LOCATIONS = 10;

const body = (list: readonly FordLocation[] | undefined) => ({
  chargingLocations: (list ?? []).map((l) => ({
    chargeLimit: l.limit,
    location: { latitude: l.lat, longitude: l.lon },
    chargingSchedules: { weekday: l.weekday.map((w) => ({ ...w })), weekend: l.weekend.map((w) => ({ ...w })) },
  })),
});

function coordinate(s: string | undefined, name: string, limit: number): number {
  const n = s === undefined || s === '' ? NaN : Number(s);
  if (!(Math.abs(n) <= limit)) throw invalid(name, `${name} is required (query parameter, -${limit} to ${limit})`);
  return Math.round(n * 1e6) / 1e6;
}

export const ford: HandlerTable = {
  'GET charge/schedule_by_location': { ev: true, run: (c) => read(c, (s: SimState) => body(s.brand?.fordLocations)) },

  'PUT charge/schedule_by_location': { ev: true, run: (c) => {
    const lat = coordinate(c.req.query.latitude, 'latitude', 90);
    const lon = coordinate(c.req.query.longitude, 'longitude', 180);
    const loc = field(c.req.body, 'chargingLocation');
    const limit = Number(field(loc, 'chargeLimit'));
    if (!(limit >= 0.5 && limit <= 1)) throw invalid('chargingLocation.chargeLimit', 'chargeLimit must be between 0.5 and 1');
    const win = field(loc, 'chargingWindows');
    const next: FordLocation = {
      lat, lon, limit: r3(limit),
      weekday: windows(field(win, 'weekday'), 'chargingWindows.weekday', 4),
      weekend: windows(field(win, 'weekend'), 'chargingWindows.weekend', 4),
    };
    return command(c, (s, { meta: { tctx }, t, view }, events) => {
      const list = (s.brand?.fordLocations ?? []).filter((l) => haversineKm(l.lat, l.lon, lat, lon) > SAME_PLACE_KM);
      if (list.length >= MAX_LOCATIONS) throw invalid('latitude', `at most ${MAX_LOCATIONS} charging locations can be saved`);
      list.push(next);
      brandState(s).fordLocations = list;
      if (!view.driving && haversineKm(view.lat, view.lon, lat, lon) <= SAME_PLACE_KM) {
        rollTo(s, tctx, t);
        s.limit = next.limit;
        advanceTo(s, tctx, t, events);
      }
      return body(list);
    });
  } },
};
