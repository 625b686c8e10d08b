import { ALL_REGIONS, FULL_FEATURES, m, type BrandDef } from '../types.js';

export const tesla: BrandDef = {
  make: 'TESLA', displayName: 'Tesla', regions: ALL_REGIONS, wmi: ['5YJ', '7SA', 'XP7', 'LRW'], profile: 'tesla',
  features: { ...FULL_FEATURES, navigation: true, brandEndpoints: true },
  models: [
    m('Model S', 2015, 2026, 'BEV', { kwh: 100, eff: 19, ac: 11.5 }),
    m('Model X', 2016, 2026, 'BEV', { kwh: 100, eff: 22, ac: 11.5 }),
    m('Model 3', 2017, 2026, 'BEV', { kwh: 75, eff: 15, ac: 11.5 }),
    m('Model Y', 2020, 2026, 'BEV', { kwh: 75, eff: 16.5, ac: 11.5 }),
    m('Cybertruck', 2024, 2026, 'BEV', { kwh: 123, eff: 27, ac: 11.5, regions: ['US', 'CA'] }),
  ],
};
