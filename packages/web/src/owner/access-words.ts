import type { MessageKey, Translate } from '../i18n/index.js';

/**
 * What an app's request did to the car, in the owner's words: the endpoint of the request log
 * (`GET /v2.0/vehicles/:id/charge`) becomes "ChargeBuddy read your charging status".
 */
const BY_PATH: Record<string, string> = {
  'GET ': 'read_vehicle_info', 'GET /attributes': 'read_vehicle_info', 'GET /vin': 'read_vin', 'GET /odometer': 'read_odometer',
  'GET /location': 'read_location', 'GET /battery': 'read_battery', 'GET /battery/capacity': 'read_battery',
  'GET /battery/nominal_capacity': 'read_battery', 'GET /fuel': 'read_fuel', 'GET /tires/pressure': 'read_tires',
  'GET /engine/oil': 'read_engine_oil', 'GET /charge': 'read_charge', 'POST /charge': 'control_charge',
  'GET /charge/limit': 'read_charge', 'POST /charge/limit': 'control_charge', 'GET /security': 'read_security',
  'POST /security': 'control_security', 'POST /navigation/destination': 'control_navigation',
  'GET /service/history': 'read_service_history', 'GET /diagnostics/system_status': 'read_diagnostics',
  'GET /diagnostics/dtcs': 'read_diagnostics', 'GET /permissions': 'permissions', 'DELETE /application': 'disconnect',
};

export function accessSentence(t: Translate, app: string, endpoint: string): string {
  const [method = '', path = ''] = endpoint.split(' ', 2);
  if (/^\/v2\.0\/vehicles\/?$/.test(path)) return t('ownerlog.list', { app });
  if (/^\/v2\.0\/user$/.test(path)) return t('ownerlog.read_user_profile', { app });
  const m = /^\/v2\.0\/vehicles\/:id(\/.*)?$/.exec(path);
  const key = m ? BY_PATH[`${method} ${m[1] ?? ''}`] : undefined;
  if (key) return t(`ownerlog.${key}` as MessageKey, { app });
  return t('ownerlog.other', { app, what: path.replace(/^\/v\d(\.\d)?\/vehicles\/:id\/?/, '') || path });
}
