import { ALL_REGIONS, EU, FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

const f = { ...FULL_FEATURES, tires: false, oil: false, navigation: true };

export const hyundai: BrandDef = {
  make: 'HYUNDAI', displayName: 'Hyundai', regions: ALL_REGIONS, wmi: ['KMH', '5NP', 'KM8', 'TMA'], profile: 'hyundai-kia', features: f,
  models: [
    m('IONIQ 5', 2022, 2026, 'BEV', { kwh: 77.4, eff: 18 }), m('IONIQ 6', 2023, 2026, 'BEV', { kwh: 77.4, eff: 15 }), m('Kona Electric', 2019, 2026, 'BEV', { kwh: 64, eff: 15.5, ac: 7.2 }),
    m('IONIQ Electric', 2017, 2021, 'BEV', { kwh: 38.3, eff: 13.5, ac: 7.2 }), m('Tucson Plug-in Hybrid', 2022, 2026, 'PHEV', { kwh: 13.8, tank: 42 }),
    m('Santa Fe Hybrid', 2021, 2026, 'HEV', { tank: 67 }), m('Tucson', 2016, 2026, 'ICE', { tank: 54, lp100: 8.5 }), m('Elantra', 2017, 2026, 'ICE', { tank: 47, lp100: 7, regions: NA }),
  ],
};
export const kia: BrandDef = {
  make: 'KIA', displayName: 'Kia', regions: ALL_REGIONS, wmi: ['KNA', 'KND', '5XY', 'U5Y'], profile: 'hyundai-kia', features: f,
  models: [
    m('EV6', 2022, 2026, 'BEV', { kwh: 77.4, eff: 17 }), m('EV9', 2024, 2026, 'BEV', { kwh: 99.8, eff: 21 }), m('Niro EV', 2019, 2026, 'BEV', { kwh: 64.8, eff: 16, ac: 7.2 }),
    m('EV3', 2025, 2026, 'BEV', { kwh: 81.4, eff: 15, regions: EU }), m('Sorento Plug-in Hybrid', 2022, 2026, 'PHEV', { kwh: 13.8, tank: 47 }),
    m('Niro Hybrid', 2017, 2026, 'HEV', { tank: 45, lp100: 4.5 }), m('Sportage', 2017, 2026, 'ICE', { tank: 54, lp100: 8.5 }), m('Telluride', 2020, 2026, 'ICE', { tank: 71, lp100: 11, regions: NA }),
  ],
};
export const genesis: BrandDef = {
  make: 'GENESIS', displayName: 'Genesis', regions: ALL_REGIONS, wmi: ['KMT', 'KMU'], profile: 'hyundai-kia', features: f,
  models: [m('GV60', 2023, 2026, 'BEV', { kwh: 77.4, eff: 18 }), m('Electrified GV70', 2023, 2026, 'BEV', { kwh: 77.4, eff: 20 }), m('GV80', 2021, 2026, 'ICE', { tank: 80, lp100: 11.5 }), m('G80', 2017, 2026, 'ICE', { tank: 73, lp100: 10.5, regions: NA })],
};
