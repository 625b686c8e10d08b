import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #15 `GET /vehicles/{id}/tires/pressure`: kPa, or psi under imperial. */
export const tirePressure = readRoute({
  name: 'tirePressure', path: '/tires/pressure', permission: 'read_tires', capability: 'tires', method: 'tirePressure',
  response: obj({ frontLeft: num, frontRight: num, backLeft: num, backRight: num }),
  units: { frontLeft: 'pressure', frontRight: 'pressure', backLeft: 'pressure', backRight: 'pressure' },
  summary: 'Tire pressure',
});
