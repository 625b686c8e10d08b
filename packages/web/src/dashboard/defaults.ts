import type { Translate } from '../i18n/index.js';

/** Permissions preselected for a new app: the read scopes most integrations start with. */
export const DEFAULT_NEW_SCOPE = ['read_vehicle_info', 'read_vin', 'read_odometer', 'read_location', 'read_battery', 'read_charge'];

export function modeLabel(t: Translate, mode: string): string {
  return mode === 'live' ? t('mode.live') : mode === 'test' ? t('mode.test') : t('mode.simulated');
}
