import { ALL_REGIONS, EU, FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

const vwF = { ...FULL_FEATURES, tires: false };

export const volkswagen: BrandDef = {
  make: 'VOLKSWAGEN', displayName: 'Volkswagen', regions: ALL_REGIONS, wmi: ['WVW', 'WVG', '1VW', '3VW', 'WV2'], profile: 'vw', features: vwF,
  models: [
    m('ID.3', 2020, 2026, 'BEV', { kwh: 58, eff: 15.5, regions: EU }), m('ID.4', 2021, 2026, 'BEV', { kwh: 77, eff: 18 }),
    m('ID.7', 2024, 2026, 'BEV', { kwh: 86, eff: 16 , regions: EU }), m('ID. Buzz', 2022, 2026, 'BEV', { kwh: 86, eff: 21 }),
    m('e-Golf', 2015, 2020, 'BEV', { kwh: 35.8, eff: 15, ac: 7.2 }), m('Golf GTE', 2015, 2026, 'PHEV', { kwh: 19.7, tank: 40, regions: EU }),
    m('Golf', 2015, 2026, 'ICE', { tank: 50, lp100: 6 }), m('Tiguan', 2015, 2026, 'ICE', { tank: 58, lp100: 8 }), m('Atlas', 2018, 2026, 'ICE', { tank: 70, lp100: 11, regions: NA }),
  ],
};
export const audi: BrandDef = {
  make: 'AUDI', displayName: 'Audi', regions: ALL_REGIONS, wmi: ['WAU', 'WA1', 'WUA'], profile: 'vw', features: { ...FULL_FEATURES, brandEndpoints: true },
  models: [
    m('e-tron', 2019, 2023, 'BEV', { kwh: 95, eff: 24 }), m('Q4 e-tron', 2022, 2026, 'BEV', { kwh: 82, eff: 18 }), m('Q8 e-tron', 2024, 2025, 'BEV', { kwh: 114, eff: 23 }),
    m('e-tron GT', 2022, 2026, 'BEV', { kwh: 93, eff: 21 }), m('Q6 e-tron', 2025, 2026, 'BEV', { kwh: 100, eff: 19 }),
    m('Q5 TFSI e', 2020, 2026, 'PHEV', { kwh: 17.9, tank: 54 }), m('A4', 2015, 2025, 'ICE', { tank: 58, lp100: 7 }), m('Q5', 2015, 2026, 'ICE', { tank: 70, lp100: 8.5 }),
  ],
};
export const porsche: BrandDef = {
  make: 'PORSCHE', displayName: 'Porsche', regions: ALL_REGIONS, wmi: ['WP0', 'WP1'], profile: 'vw', features: FULL_FEATURES,
  models: [m('Taycan', 2020, 2026, 'BEV', { kwh: 93, eff: 21 }), m('Macan Electric', 2024, 2026, 'BEV', { kwh: 100, eff: 19.5 }), m('Cayenne E-Hybrid', 2019, 2026, 'PHEV', { kwh: 25.9, tank: 75 }), m('911', 2015, 2026, 'ICE', { tank: 64, lp100: 11 })],
};
export const skoda: BrandDef = {
  make: 'SKODA', displayName: 'Škoda', regions: EU, wmi: ['TMB'], profile: 'vw', features: vwF,
  models: [m('Enyaq', 2021, 2026, 'BEV', { kwh: 77, eff: 17, regions: EU }), m('Elroq', 2025, 2026, 'BEV', { kwh: 63, eff: 16, regions: EU }), m('Octavia iV', 2020, 2026, 'PHEV', { kwh: 13, tank: 40, regions: EU }), m('Octavia', 2015, 2026, 'ICE', { tank: 50, lp100: 5.5, regions: EU })],
};
export const cupra: BrandDef = {
  make: 'CUPRA', displayName: 'CUPRA', regions: EU, wmi: ['VSS'], profile: 'vw', features: vwF,
  models: [m('Born', 2021, 2026, 'BEV', { kwh: 58, eff: 16, regions: EU }), m('Tavascan', 2024, 2026, 'BEV', { kwh: 77, eff: 17, regions: EU }), m('Formentor e-HYBRID', 2021, 2026, 'PHEV', { kwh: 12.8, tank: 40, regions: EU }), m('Leon', 2020, 2026, 'ICE', { tank: 50, lp100: 6.5, regions: EU })],
};
