import { FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

export const rivian: BrandDef = {
  make: 'RIVIAN', displayName: 'Rivian', regions: NA, wmi: ['7FC', '7PD'], profile: 'standard', features: { ...FULL_FEATURES, oil: false },
  models: [m('R1T', 2022, 2026, 'BEV', { kwh: 135, eff: 26, regions: NA }), m('R1S', 2022, 2026, 'BEV', { kwh: 135, eff: 27, regions: NA }), m('EDV', 2022, 2026, 'BEV', { kwh: 135, eff: 35, regions: NA })],
};
export const lucid: BrandDef = {
  make: 'LUCID', displayName: 'Lucid', regions: ['US', 'CA', 'EUROPE'], wmi: ['50E'], profile: 'standard', features: { ...FULL_FEATURES, tires: false, oil: false },
  models: [m('Air', 2022, 2026, 'BEV', { kwh: 112, eff: 15.5, ac: 19.2 }), m('Gravity', 2025, 2026, 'BEV', { kwh: 120, eff: 19, ac: 19.2 })],
};
