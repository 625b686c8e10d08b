import { command, field, hhmm, invalid, read, type HandlerTable } from './call.js';
import { brandState } from './sessions.js';
import type { NissanSchedule } from './state.js';

/** Nissan: up to three weekly charge schedules (EVs only); a PUT replaces the whole list. */
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const copy = (list: readonly NissanSchedule[] | undefined) => ({ chargeSchedules: (list ?? []).map((x) => ({ ...x, days: [...x.days] })) });

function parse(v: unknown): NissanSchedule[] {
  if (!Array.isArray(v) || v.length > 3) throw invalid('chargeSchedules', 'chargeSchedules must be an array of at most 3 schedules');
  return v.map((x, i) => {
    const days = field(x, 'days');
    if (!Array.isArray(days) || days.length === 0 || days.some((d) => !DAYS.includes(String(d)))) {
      throw invalid(`chargeSchedules[${i}].days`, `days must be a non-empty list of ${DAYS.join(', ')}`);
    }
    const unique = DAYS.filter((d) => days.includes(d));
    return { start: hhmm(field(x, 'start'), `chargeSchedules[${i}].start`), end: hhmm(field(x, 'end'), `chargeSchedules[${i}].end`), days: unique };
  });
}

export const nissan: HandlerTable = {
  'GET charge/schedule': { ev: true, run: (c) => read(c, (s) => copy(s.brand?.nissanSchedules)) },
  'PUT charge/schedule': { ev: true, run: (c) => {
    const list = parse(field(c.req.body, 'chargeSchedules'));
    return command(c, (s) => { brandState(s).nissanSchedules = list; return copy(list); });
  } },
};
