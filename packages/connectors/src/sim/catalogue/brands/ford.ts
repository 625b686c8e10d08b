import { ALL_REGIONS, FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

const fordFeatures = { ...FULL_FEATURES, navigation: true, serviceHistory: true, diagnostics: true, brandEndpoints: true };

export const ford: BrandDef = {
  make: 'FORD', displayName: 'Ford', regions: ALL_REGIONS, wmi: ['1FA', '1FM', '1FT', '3FM', 'WF0'], profile: 'ford',
  features: fordFeatures,
  models: [
    m('Mustang Mach-E', 2021, 2026, 'BEV', { kwh: 91, eff: 19.5, ac: 11 }),
    m('F-150 Lightning', 2022, 2026, 'BEV', { kwh: 131, eff: 29, ac: 19.2, regions: NA }),
    m('E-Transit', 2022, 2026, 'BEV', { kwh: 68, eff: 30, ac: 11 }),
    m('Explorer EV', 2024, 2026, 'BEV', { kwh: 79, eff: 17, ac: 11, regions: ['EUROPE'] }),
    m('Escape PHEV', 2020, 2025, 'PHEV', { kwh: 14.4, tank: 42, regions: NA }),
    m('Kuga PHEV', 2020, 2026, 'PHEV', { kwh: 14.4, tank: 45, regions: ['EUROPE'] }),
    m('Maverick Hybrid', 2022, 2026, 'HEV', { tank: 51, regions: NA }),
    m('F-150', 2015, 2026, 'ICE', { tank: 98, lp100: 12.5, regions: NA }),
    m('Explorer', 2016, 2026, 'ICE', { tank: 68, lp100: 11 }),
    m('Escape', 2017, 2026, 'ICE', { tank: 56, lp100: 8.5, regions: NA }),
    m('Bronco', 2021, 2026, 'ICE', { tank: 79, lp100: 12.5, regions: NA }),
    m('Focus', 2015, 2025, 'ICE', { tank: 52, lp100: 6.5, regions: ['EUROPE'] }),
    m('Puma', 2020, 2026, 'HEV', { tank: 42, lp100: 5.5, regions: ['EUROPE'] }),
  ],
};

export const lincoln: BrandDef = {
  make: 'LINCOLN', displayName: 'Lincoln', regions: NA, wmi: ['5LM', '1LN'], profile: 'ford',
  features: fordFeatures,
  models: [
    m('Aviator Grand Touring', 2020, 2025, 'PHEV', { kwh: 13.6, tank: 68, regions: NA }),
    m('Corsair Grand Touring', 2021, 2026, 'PHEV', { kwh: 14.4, tank: 42, regions: NA }),
    m('Navigator', 2018, 2026, 'ICE', { tank: 89, lp100: 14, regions: NA }),
    m('Nautilus', 2019, 2026, 'ICE', { tank: 68, lp100: 10.5, regions: NA }),
  ],
};
