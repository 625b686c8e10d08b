import { ALL_REGIONS, EU, FULL_FEATURES, m, type BrandDef } from '../types.js';

export const mercedes: BrandDef = {
  make: 'MERCEDES_BENZ', displayName: 'Mercedes-Benz', regions: ALL_REGIONS, wmi: ['WDD', 'WDC', 'W1K', 'W1N', '4JG'], profile: 'standard',
  features: { ...FULL_FEATURES, navigation: true },
  models: [
    m('EQS', 2022, 2026, 'BEV', { kwh: 108, eff: 19 }), m('EQE', 2023, 2026, 'BEV', { kwh: 90, eff: 19 }), m('EQB', 2022, 2026, 'BEV', { kwh: 66, eff: 19 }),
    m('EQA', 2021, 2026, 'BEV', { kwh: 66, eff: 17, regions: EU }), m('EQC', 2019, 2023, 'BEV', { kwh: 80, eff: 23, regions: EU }),
    m('GLC 350e', 2020, 2026, 'PHEV', { kwh: 31.2, tank: 50 }), m('C-Class', 2015, 2026, 'ICE', { tank: 66, lp100: 7.5 }),
    m('GLE', 2016, 2026, 'ICE', { tank: 85, lp100: 10 }), m('Sprinter', 2015, 2026, 'ICE', { tank: 93, lp100: 11 }),
  ],
};
export const smart: BrandDef = {
  make: 'SMART', displayName: 'smart', regions: EU, wmi: ['WME', 'HES'], profile: 'standard', features: { ...FULL_FEATURES, tires: false, oil: false },
  models: [m('EQ fortwo', 2018, 2024, 'BEV', { kwh: 17.6, eff: 16, ac: 4.6, regions: EU }), m('#1', 2023, 2026, 'BEV', { kwh: 66, eff: 17, ac: 22, regions: EU }), m('#3', 2024, 2026, 'BEV', { kwh: 66, eff: 16.5, ac: 22, regions: EU })],
};
