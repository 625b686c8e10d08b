import { read, type HandlerTable } from './call.js';
import { chargeRecords } from './records.js';

/** BMW and MINI: charging records of the last 30 days at most (EVs only). */
export const bmw: HandlerTable = {
  'GET charge/records': { ev: true, run: (c) => read(c, (s, { meta: { md }, t }) => chargeRecords(c, s, md, t)) },
};
