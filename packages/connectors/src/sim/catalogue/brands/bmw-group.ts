import { ALL_REGIONS, EU, FULL_FEATURES, m, type BrandDef } from '../types.js';

const f = { ...FULL_FEATURES, navigation: true, serviceHistory: true, brandEndpoints: true };

export const bmw: BrandDef = {
  make: 'BMW', displayName: 'BMW', regions: ALL_REGIONS, wmi: ['WBA', 'WBS', 'WBY', '5UX', '5YM'], profile: 'bmw', features: f,
  models: [
    m('i3', 2015, 2022, 'BEV', { kwh: 42, eff: 15, ac: 7.4 }), m('i4', 2022, 2026, 'BEV', { kwh: 84, eff: 17 }), m('iX', 2022, 2026, 'BEV', { kwh: 112, eff: 21 }),
    m('iX1', 2023, 2026, 'BEV', { kwh: 66, eff: 17, regions: EU }), m('i5', 2024, 2026, 'BEV', { kwh: 84, eff: 18 }), m('i7', 2023, 2026, 'BEV', { kwh: 106, eff: 20 }),
    m('330e', 2016, 2026, 'PHEV', { kwh: 12, tank: 40 }), m('X5 xDrive50e', 2016, 2026, 'PHEV', { kwh: 25.7, tank: 69 }),
    m('3 Series', 2015, 2026, 'ICE', { tank: 59, lp100: 7 }), m('X3', 2015, 2026, 'ICE', { tank: 65, lp100: 8.5 }), m('X5', 2015, 2026, 'ICE', { tank: 83, lp100: 10 }),
  ],
};
export const mini: BrandDef = {
  make: 'MINI', displayName: 'MINI', regions: ALL_REGIONS, wmi: ['WMW', 'WMZ'], profile: 'bmw', features: f,
  models: [m('Cooper SE', 2020, 2026, 'BEV', { kwh: 32.6, eff: 15, ac: 11 }), m('Countryman SE ALL4', 2018, 2026, 'PHEV', { kwh: 10, tank: 36 }), m('Cooper', 2015, 2026, 'ICE', { tank: 44, lp100: 6.5 }), m('Aceman', 2025, 2026, 'BEV', { kwh: 54, eff: 15, regions: EU })],
};
