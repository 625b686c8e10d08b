import { ALL_REGIONS, EU, FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

const f = { ...FULL_FEATURES, setChargeLimit: false };
const euF = { ...FULL_FEATURES, tires: false, setChargeLimit: false, lockControl: false };

export const jeep: BrandDef = {
  make: 'JEEP', displayName: 'Jeep', regions: ALL_REGIONS, wmi: ['1C4', '1J4', 'ZAC'], profile: 'standard', features: f,
  models: [
    m('Wrangler 4xe', 2021, 2026, 'PHEV', { kwh: 17.3, tank: 65, lp100: 9.5 }),
    m('Grand Cherokee 4xe', 2022, 2026, 'PHEV', { kwh: 17.3, tank: 70, lp100: 9.5 }),
    m('Compass 4xe', 2021, 2026, 'PHEV', { kwh: 11.4, tank: 36, regions: EU }),
    m('Avenger', 2023, 2026, 'BEV', { kwh: 54, eff: 16, regions: EU }),
    m('Wrangler', 2015, 2026, 'ICE', { tank: 81, lp100: 12 }),
    m('Grand Cherokee', 2015, 2026, 'ICE', { tank: 87, lp100: 12 }),
    m('Cherokee', 2015, 2023, 'ICE', { tank: 60, lp100: 10, regions: NA }),
  ],
};
export const ram: BrandDef = {
  make: 'RAM', displayName: 'Ram', regions: NA, wmi: ['3C6', '1C6'], profile: 'standard', features: f,
  models: [m('1500', 2015, 2026, 'ICE', { tank: 98, lp100: 13, regions: NA }), m('2500', 2015, 2026, 'ICE', { tank: 117, lp100: 16, regions: NA }), m('ProMaster EV', 2024, 2026, 'BEV', { kwh: 110, eff: 30, regions: NA })],
};
export const dodge: BrandDef = {
  make: 'DODGE', displayName: 'Dodge', regions: NA, wmi: ['2C3', '1C3'], profile: 'standard', features: f,
  models: [m('Charger', 2015, 2023, 'ICE', { tank: 70, lp100: 11, regions: NA }), m('Durango', 2015, 2026, 'ICE', { tank: 93, lp100: 13, regions: NA }), m('Hornet R/T', 2024, 2025, 'PHEV', { kwh: 15.5, tank: 42, regions: NA }), m('Charger Daytona', 2024, 2026, 'BEV', { kwh: 100, eff: 24, regions: NA })],
};
export const chrysler: BrandDef = {
  make: 'CHRYSLER', displayName: 'Chrysler', regions: NA, wmi: ['2C4'], profile: 'standard', features: f,
  models: [m('Pacifica Hybrid', 2017, 2026, 'PHEV', { kwh: 16, tank: 62, regions: NA }), m('Pacifica', 2017, 2026, 'ICE', { tank: 72, lp100: 10.5, regions: NA }), m('300', 2015, 2023, 'ICE', { tank: 72, lp100: 11, regions: NA })],
};
export const fiat: BrandDef = {
  make: 'FIAT', displayName: 'Fiat', regions: ALL_REGIONS, wmi: ['ZFA', '3C3'], profile: 'standard', features: euF,
  models: [m('500e', 2015, 2026, 'BEV', { kwh: 42, eff: 14.5 }), m('600e', 2024, 2026, 'BEV', { kwh: 54, eff: 15.5, regions: EU }), m('500', 2015, 2024, 'ICE', { tank: 35, lp100: 5.5, regions: EU }), m('Panda Hybrid', 2020, 2026, 'HEV', { tank: 37, lp100: 5, regions: EU })],
};
export const alfaRomeo: BrandDef = {
  make: 'ALFA_ROMEO', displayName: 'Alfa Romeo', regions: ALL_REGIONS, wmi: ['ZAR', 'ZAS'], profile: 'standard', features: f,
  models: [m('Tonale', 2023, 2026, 'PHEV', { kwh: 15.5, tank: 42 }), m('Giulia', 2017, 2026, 'ICE', { tank: 58, lp100: 8.5 }), m('Stelvio', 2018, 2026, 'ICE', { tank: 64, lp100: 9.5 }), m('Junior Elettrica', 2024, 2026, 'BEV', { kwh: 54, eff: 15.5, regions: EU })],
};
export const peugeot: BrandDef = {
  make: 'PEUGEOT', displayName: 'Peugeot', regions: EU, wmi: ['VF3', 'VR3'], profile: 'standard', features: euF,
  models: [m('e-208', 2020, 2026, 'BEV', { kwh: 50, eff: 15.5, ac: 7.4, regions: EU }), m('e-2008', 2020, 2026, 'BEV', { kwh: 54, eff: 16.5, ac: 7.4, regions: EU }), m('e-3008', 2024, 2026, 'BEV', { kwh: 73, eff: 17.5, regions: EU }), m('3008 Hybrid4', 2020, 2024, 'PHEV', { kwh: 13.2, tank: 43, regions: EU }), m('308', 2015, 2026, 'ICE', { tank: 52, lp100: 5.5, regions: EU })],
};
export const citroen: BrandDef = {
  make: 'CITROEN', displayName: 'Citroën', regions: EU, wmi: ['VF7', 'VR7'], profile: 'standard', features: euF,
  models: [m('ë-C4', 2021, 2026, 'BEV', { kwh: 50, eff: 16, ac: 7.4, regions: EU }), m('ë-C3', 2024, 2026, 'BEV', { kwh: 44, eff: 15, ac: 7.4, regions: EU }), m('C5 Aircross Hybrid', 2020, 2025, 'PHEV', { kwh: 13.2, tank: 43, regions: EU }), m('C3', 2016, 2026, 'ICE', { tank: 45, lp100: 5.5, regions: EU })],
};
export const opel: BrandDef = {
  make: 'OPEL', displayName: 'Opel/Vauxhall', regions: EU, wmi: ['W0L', 'W0V'], profile: 'standard', features: euF,
  models: [m('Corsa Electric', 2020, 2026, 'BEV', { kwh: 50, eff: 15.5, ac: 7.4, regions: EU }), m('Mokka Electric', 2021, 2026, 'BEV', { kwh: 54, eff: 16, ac: 7.4, regions: EU }), m('Astra Plug-in Hybrid', 2022, 2026, 'PHEV', { kwh: 12.4, tank: 40, regions: EU }), m('Astra', 2015, 2026, 'ICE', { tank: 52, lp100: 5.5, regions: EU })],
};
export const ds: BrandDef = {
  make: 'DS', displayName: 'DS Automobiles', regions: EU, wmi: ['VR1'], profile: 'standard', features: euF,
  models: [m('DS 3 E-Tense', 2019, 2026, 'BEV', { kwh: 54, eff: 16, ac: 7.4, regions: EU }), m('DS 7 E-Tense', 2020, 2026, 'PHEV', { kwh: 14.2, tank: 43, regions: EU }), m('DS 4', 2022, 2026, 'ICE', { tank: 52, lp100: 6, regions: EU })],
};
