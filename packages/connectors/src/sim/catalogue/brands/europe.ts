import { ALL_REGIONS, EU, FULL_FEATURES, m, type BrandDef } from '../types.js';

export const volvo: BrandDef = {
  make: 'VOLVO', displayName: 'Volvo', regions: ALL_REGIONS, wmi: ['YV1', 'YV4', '7JR'], profile: 'volvo', features: { ...FULL_FEATURES, tires: false, navigation: true, diagnostics: true },
  models: [
    m('EX30', 2024, 2026, 'BEV', { kwh: 69, eff: 17 }), m('EX90', 2025, 2026, 'BEV', { kwh: 111, eff: 22 }), m('XC40 Recharge', 2021, 2026, 'BEV', { kwh: 82, eff: 19 }),
    m('XC60 Recharge', 2018, 2026, 'PHEV', { kwh: 18.8, tank: 71 }), m('XC90 Recharge', 2016, 2026, 'PHEV', { kwh: 18.8, tank: 71 }), m('XC60', 2015, 2026, 'ICE', { tank: 71, lp100: 8.5 }),
  ],
};
export const polestar: BrandDef = {
  make: 'POLESTAR', displayName: 'Polestar', regions: ALL_REGIONS, wmi: ['LPS', 'YSM'], profile: 'volvo', features: { ...FULL_FEATURES, tires: false },
  models: [m('Polestar 2', 2021, 2026, 'BEV', { kwh: 82, eff: 18 }), m('Polestar 3', 2025, 2026, 'BEV', { kwh: 111, eff: 22 }), m('Polestar 4', 2025, 2026, 'BEV', { kwh: 100, eff: 19 }), m('Polestar 1', 2020, 2021, 'PHEV', { kwh: 34, tank: 60 })],
};
export const jaguar: BrandDef = {
  make: 'JAGUAR', displayName: 'Jaguar', regions: ALL_REGIONS, wmi: ['SAJ'], profile: 'standard', features: FULL_FEATURES,
  models: [m('I-PACE', 2019, 2024, 'BEV', { kwh: 90, eff: 23, ac: 7.4 }), m('F-PACE', 2017, 2026, 'ICE', { tank: 82, lp100: 10 }), m('F-PACE P400e', 2021, 2026, 'PHEV', { kwh: 17.1, tank: 53 }), m('XE', 2017, 2024, 'ICE', { tank: 56, lp100: 8 })],
};
export const landRover: BrandDef = {
  make: 'LAND_ROVER', displayName: 'Land Rover', regions: ALL_REGIONS, wmi: ['SAL'], profile: 'standard', features: FULL_FEATURES,
  models: [m('Range Rover P440e', 2022, 2026, 'PHEV', { kwh: 38.2, tank: 71 }), m('Range Rover Sport', 2015, 2026, 'ICE', { tank: 90, lp100: 11.5 }), m('Defender', 2020, 2026, 'ICE', { tank: 90, lp100: 12 }), m('Discovery Sport', 2015, 2026, 'ICE', { tank: 65, lp100: 9 })],
};
export const renault: BrandDef = {
  make: 'RENAULT', displayName: 'Renault', regions: EU, wmi: ['VF1', 'VF6'], profile: 'standard', features: { ...FULL_FEATURES, tires: false, oil: false, setChargeLimit: false },
  models: [m('ZOE', 2015, 2024, 'BEV', { kwh: 52, eff: 17, ac: 22, regions: EU }), m('Megane E-Tech Electric', 2022, 2026, 'BEV', { kwh: 60, eff: 16, ac: 22, regions: EU }), m('Renault 5 E-Tech', 2024, 2026, 'BEV', { kwh: 52, eff: 14.5, regions: EU }), m('Captur E-Tech Plug-in', 2020, 2024, 'PHEV', { kwh: 10.4, tank: 39, regions: EU }), m('Clio', 2015, 2026, 'ICE', { tank: 42, lp100: 5.5, regions: EU })],
};
export const dacia: BrandDef = {
  make: 'DACIA', displayName: 'Dacia', regions: EU, wmi: ['UU1'], profile: 'standard', features: { ...FULL_FEATURES, tires: false, oil: false, setChargeLimit: false, lockControl: false },
  models: [m('Spring', 2021, 2026, 'BEV', { kwh: 26.8, eff: 14, ac: 6.6, regions: EU }), m('Jogger Hybrid', 2023, 2026, 'HEV', { tank: 40, lp100: 5, regions: EU }), m('Duster', 2018, 2026, 'ICE', { tank: 50, lp100: 6.5, regions: EU })],
};
