import { ALL_REGIONS, EU, FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

const toyotaF = { ...FULL_FEATURES, tires: false, oil: false, setChargeLimit: false, chargeControl: false, serviceHistory: true, diagnostics: true };

export const toyota: BrandDef = {
  make: 'TOYOTA', displayName: 'Toyota', regions: ALL_REGIONS, wmi: ['JTD', '4T1', '2T3', 'JTM', '5TD', 'SB1', 'VNK'], profile: 'standard', features: toyotaF,
  models: [
    m('bZ4X', 2023, 2026, 'BEV', { kwh: 71.4, eff: 17.5, ac: 6.6 }), m('RAV4 Prime', 2021, 2026, 'PHEV', { kwh: 18.1, tank: 55 }), m('Prius Prime', 2017, 2026, 'PHEV', { kwh: 13.6, tank: 40 }),
    m('Prius', 2016, 2026, 'HEV', { tank: 43, lp100: 4.3 }), m('RAV4 Hybrid', 2016, 2026, 'HEV', { tank: 55, lp100: 5.5 }), m('Camry', 2018, 2026, 'HEV', { tank: 50, lp100: 5 }),
    m('Corolla', 2015, 2026, 'ICE', { tank: 50, lp100: 6.5 }), m('Tacoma', 2016, 2026, 'ICE', { tank: 79, lp100: 11, regions: NA }), m('Highlander', 2017, 2026, 'ICE', { tank: 68, lp100: 10, regions: NA }),
  ],
};
export const lexus: BrandDef = {
  make: 'LEXUS', displayName: 'Lexus', regions: ALL_REGIONS, wmi: ['JTH', 'JTJ', '2T2'], profile: 'standard', features: toyotaF,
  models: [m('RZ', 2023, 2026, 'BEV', { kwh: 71.4, eff: 18.5 }), m('UX 300e', 2021, 2025, 'BEV', { kwh: 54.3, eff: 17, regions: EU }), m('NX 450h+', 2022, 2026, 'PHEV', { kwh: 18.1, tank: 55 }), m('RX 350h', 2016, 2026, 'HEV', { tank: 65, lp100: 6.5 }), m('ES', 2016, 2026, 'ICE', { tank: 60, lp100: 8.5 })],
};
const hondaF = { ...FULL_FEATURES, tires: false, setChargeLimit: false };
export const honda: BrandDef = {
  make: 'HONDA', displayName: 'Honda', regions: ALL_REGIONS, wmi: ['1HG', '2HG', '5FN', 'JHM', 'SHH'], profile: 'honda', features: hondaF,
  models: [m('Prologue', 2024, 2026, 'BEV', { kwh: 85, eff: 20, regions: NA }), m('e', 2020, 2023, 'BEV', { kwh: 35.5, eff: 17, ac: 7.4, regions: EU }), m('Clarity Plug-In Hybrid', 2018, 2021, 'PHEV', { kwh: 17, tank: 26, regions: NA }), m('CR-V Hybrid', 2020, 2026, 'HEV', { tank: 53, lp100: 5.8 }), m('Accord', 2015, 2026, 'ICE', { tank: 56, lp100: 7.5, regions: NA }), m('Civic', 2016, 2026, 'ICE', { tank: 47, lp100: 6.5 })],
};
export const acura: BrandDef = {
  make: 'ACURA', displayName: 'Acura', regions: NA, wmi: ['19U', 'JH4', '5J8'], profile: 'honda', features: hondaF,
  models: [m('ZDX', 2024, 2025, 'BEV', { kwh: 102, eff: 21, regions: NA }), m('MDX', 2016, 2026, 'ICE', { tank: 70, lp100: 10.5, regions: NA }), m('RDX', 2016, 2026, 'ICE', { tank: 65, lp100: 9.5, regions: NA }), m('TLX', 2015, 2026, 'ICE', { tank: 64, lp100: 9, regions: NA })],
};
const nissanF = { ...FULL_FEATURES, tires: false, oil: false, chargeLimit: false, setChargeLimit: false, brandEndpoints: true };
export const nissan: BrandDef = {
  make: 'NISSAN', displayName: 'Nissan', regions: ALL_REGIONS, wmi: ['1N4', '5N1', 'JN1', 'SJN', '1N6'], profile: 'nissan', features: nissanF,
  models: [m('LEAF', 2015, 2025, 'BEV', { kwh: 40, eff: 17, ac: 6.6 }), m('ARIYA', 2023, 2026, 'BEV', { kwh: 87, eff: 19, ac: 7.2 }), m('Rogue', 2015, 2026, 'ICE', { tank: 55, lp100: 8.5, regions: NA }), m('Qashqai e-POWER', 2022, 2026, 'HEV', { tank: 55, lp100: 5.3, regions: EU }), m('Altima', 2015, 2026, 'ICE', { tank: 61, lp100: 8, regions: NA })],
};
export const infiniti: BrandDef = {
  make: 'INFINITI', displayName: 'INFINITI', regions: NA, wmi: ['JNK', '5N3', 'JNR'], profile: 'nissan', features: nissanF,
  models: [m('QX60', 2016, 2026, 'ICE', { tank: 74, lp100: 11, regions: NA }), m('QX50', 2019, 2025, 'ICE', { tank: 60, lp100: 9.5, regions: NA }), m('Q50', 2015, 2024, 'ICE', { tank: 76, lp100: 10, regions: NA })],
};
const plainF = { ...FULL_FEATURES, tires: false, oil: false };
export const mazda: BrandDef = {
  make: 'MAZDA', displayName: 'Mazda', regions: ALL_REGIONS, wmi: ['JM1', 'JM3', '3MZ'], profile: 'standard', features: { ...plainF, serviceHistory: true },
  models: [m('MX-30', 2021, 2025, 'BEV', { kwh: 35.5, eff: 19, ac: 6.6 }), m('CX-90 PHEV', 2024, 2026, 'PHEV', { kwh: 17.8, tank: 71 }), m('CX-5', 2017, 2026, 'ICE', { tank: 56, lp100: 8.5 }), m('Mazda3', 2019, 2026, 'ICE', { tank: 51, lp100: 7.5 })],
};
export const subaru: BrandDef = {
  make: 'SUBARU', displayName: 'Subaru', regions: ALL_REGIONS, wmi: ['JF1', 'JF2', '4S3', '4S4'], profile: 'standard', features: plainF,
  models: [m('Solterra', 2023, 2026, 'BEV', { kwh: 71.4, eff: 18.5, ac: 6.6 }), m('Crosstrek Hybrid', 2019, 2023, 'PHEV', { kwh: 8.8, tank: 50, regions: NA }), m('Outback', 2015, 2026, 'ICE', { tank: 70, lp100: 8.5 }), m('Forester', 2015, 2026, 'ICE', { tank: 63, lp100: 8 })],
};
export const mitsubishi: BrandDef = {
  make: 'MITSUBISHI', displayName: 'Mitsubishi', regions: ALL_REGIONS, wmi: ['JA4', 'JA3', 'ML3'], profile: 'standard', features: { ...plainF, setChargeLimit: false },
  models: [m('Outlander PHEV', 2018, 2026, 'PHEV', { kwh: 20, tank: 56 }), m('Eclipse Cross PHEV', 2021, 2024, 'PHEV', { kwh: 13.8, tank: 43, regions: EU }), m('Outlander', 2015, 2026, 'ICE', { tank: 63, lp100: 8.5 }), m('Mirage', 2015, 2024, 'ICE', { tank: 35, lp100: 5.5, regions: NA })],
};
