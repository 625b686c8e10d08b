import { arr, nullable, obj, str } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #22 `GET /vehicles/{id}/diagnostics/dtcs`: active diagnostic trouble codes. */
export const dtcs = readRoute({
  name: 'diagnosticTroubleCodes', path: '/diagnostics/dtcs', permission: 'read_diagnostics', capability: 'diagnostics',
  method: 'dtcs', response: obj({ activeCodes: arr(obj({ code: str, timestamp: nullable(str) })) }),
  summary: 'Diagnostic trouble codes',
});
