import { arr, enumOf, nullable, obj, str } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #21 `GET /vehicles/{id}/diagnostics/system_status`. */
export const systemStatus = readRoute({
  name: 'diagnosticSystemStatus', path: '/diagnostics/system_status', permission: 'read_diagnostics', capability: 'diagnostics',
  method: 'systemStatus', response: obj({ systems: arr(obj({ systemId: str, status: enumOf('OK', 'ALERT'), description: nullable(str) })) }),
  summary: 'Diagnostic system status',
});
