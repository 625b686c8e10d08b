import { iso, read, type HandlerTable } from './call.js';
import { completionAt, voltage } from './electric.js';

/** Cadillac and Chevrolet: charge completion time and charging voltage (EVs only). */
export const gm: HandlerTable = {
  'GET charge/completion': { ev: true, run: (c) => read(c, (_s, { view }) => ({ time: iso(completionAt(view)) })) },
  'GET charge/voltmeter': { ev: true, run: (c) => read(c, (s, { meta: { md }, view }) => ({ voltage: voltage(s, md, view) })) },
};
