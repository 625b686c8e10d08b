import { ALL_REGIONS, FULL_FEATURES, NA, m, type BrandDef } from '../types.js';

const gmFeatures = { ...FULL_FEATURES, diagnostics: true, serviceHistory: true };

export const chevrolet: BrandDef = {
  make: 'CHEVROLET', displayName: 'Chevrolet', regions: NA, wmi: ['1G1', '1GC', '1GN', '3GN', 'KL7'], profile: 'gm',
  features: { ...gmFeatures, brandEndpoints: true },
  models: [
    m('Bolt EV', 2017, 2023, 'BEV', { kwh: 65, eff: 17, ac: 11, regions: NA }),
    m('Bolt EUV', 2022, 2023, 'BEV', { kwh: 65, eff: 18, ac: 11, regions: NA }),
    m('Equinox EV', 2024, 2026, 'BEV', { kwh: 85, eff: 19, ac: 11.5, regions: NA }),
    m('Blazer EV', 2024, 2026, 'BEV', { kwh: 85, eff: 20, ac: 11.5, regions: NA }),
    m('Silverado EV', 2024, 2026, 'BEV', { kwh: 200, eff: 30, ac: 19.2, regions: NA }),
    m('Volt', 2016, 2019, 'PHEV', { kwh: 18.4, tank: 34, ac: 7.2, regions: NA }),
    m('Equinox', 2018, 2026, 'ICE', { tank: 56, lp100: 9, regions: NA }),
    m('Malibu', 2016, 2025, 'ICE', { tank: 59, lp100: 8, regions: NA }),
    m('Silverado 1500', 2015, 2026, 'ICE', { tank: 91, lp100: 13, regions: NA }),
    m('Tahoe', 2015, 2026, 'ICE', { tank: 91, lp100: 14, regions: NA }),
    m('Traverse', 2018, 2026, 'ICE', { tank: 73, lp100: 11, regions: NA }),
  ],
};

export const cadillac: BrandDef = {
  make: 'CADILLAC', displayName: 'Cadillac', regions: ALL_REGIONS, wmi: ['1G6', '1GY'], profile: 'gm',
  features: { ...gmFeatures, brandEndpoints: true },
  models: [
    m('LYRIQ', 2023, 2026, 'BEV', { kwh: 102, eff: 21, ac: 19.2 }),
    m('OPTIQ', 2025, 2026, 'BEV', { kwh: 85, eff: 20, ac: 11.5 }),
    m('ESCALADE IQ', 2025, 2026, 'BEV', { kwh: 200, eff: 31, ac: 19.2, regions: NA }),
    m('Escalade', 2015, 2026, 'ICE', { tank: 91, lp100: 15, regions: NA }),
    m('XT5', 2017, 2025, 'ICE', { tank: 83, lp100: 10.5, regions: NA }),
    m('CT5', 2020, 2026, 'ICE', { tank: 64, lp100: 9.5, regions: NA }),
  ],
};

export const buick: BrandDef = {
  make: 'BUICK', displayName: 'Buick', regions: NA, wmi: ['1G4', 'KL4'], profile: 'gm',
  features: gmFeatures,
  models: [
    m('Encore GX', 2020, 2026, 'ICE', { tank: 51, lp100: 8, regions: NA }),
    m('Envision', 2016, 2026, 'ICE', { tank: 61, lp100: 9.5, regions: NA }),
    m('Enclave', 2015, 2026, 'ICE', { tank: 83, lp100: 11.5, regions: NA }),
    m('LaCrosse', 2015, 2019, 'HEV', { tank: 59, lp100: 7, regions: NA }),
  ],
};

export const gmc: BrandDef = {
  make: 'GMC', displayName: 'GMC', regions: NA, wmi: ['1GT', '1GK'], profile: 'gm',
  features: gmFeatures,
  models: [
    m('HUMMER EV Pickup', 2022, 2026, 'BEV', { kwh: 212, eff: 36, ac: 19.2, regions: NA }),
    m('HUMMER EV SUV', 2024, 2026, 'BEV', { kwh: 170, eff: 35, ac: 19.2, regions: NA }),
    m('Sierra EV', 2024, 2026, 'BEV', { kwh: 200, eff: 30, ac: 19.2, regions: NA }),
    m('Sierra 1500', 2015, 2026, 'ICE', { tank: 91, lp100: 13, regions: NA }),
    m('Yukon', 2015, 2026, 'ICE', { tank: 91, lp100: 14, regions: NA }),
    m('Acadia', 2017, 2026, 'ICE', { tank: 73, lp100: 11, regions: NA }),
  ],
};
