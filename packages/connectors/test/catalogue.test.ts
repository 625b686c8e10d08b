import { describe, expect, it } from 'vitest';
import { BRANDS, allModels, checkDigit, decodeVin, makeVin } from '../src/index.js';
import { memorySim } from './helpers.js';

describe('catalogue', () => {
  it('has at least 39 brands, each valid', () => {
    expect(BRANDS.length).toBeGreaterThanOrEqual(39);
    const makes = new Set<string>();
    const wmis = new Set<string>();
    for (const b of BRANDS) {
      expect(b.make).toMatch(/^[A-Z_]+$/);
      expect(makes.has(b.make)).toBe(false);
      makes.add(b.make);
      expect(b.regions.length).toBeGreaterThan(0);
      expect(wmis.has(b.wmi[0]!)).toBe(false); // the WMI a new VIN uses decodes back to this brand
      for (const w of b.wmi) { expect(w).toMatch(/^[A-HJ-NPR-Z0-9]{3}$/); wmis.add(w); }
      expect(b.models.length).toBeGreaterThan(0);
      for (const md of b.models) {
        expect(md.startYear).toBeGreaterThanOrEqual(2015);
        expect(md.endYear).toBeGreaterThanOrEqual(md.startYear);
        for (const r of md.regions) expect(b.regions).toContain(r);
        if (md.powertrain === 'BEV') { expect(md.batteryKwh).toBeGreaterThan(0); expect(md.tankLiters).toBeNull(); }
        if (md.powertrain === 'ICE' || md.powertrain === 'HEV') { expect(md.batteryKwh).toBeNull(); expect(md.tankLiters).toBeGreaterThan(0); }
        if (md.powertrain === 'PHEV') { expect(md.batteryKwh).toBeGreaterThan(0); expect(md.tankLiters).toBeGreaterThan(0); }
      }
    }
  });

  it('capabilities follow the powertrain and the brand', () => {
    for (const md of allModels()) {
      if (md.powertrain === 'BEV') expect(md.capabilities).not.toContain('fuel');
      if (md.powertrain === 'ICE') { expect(md.capabilities).not.toContain('battery'); expect(md.capabilities).not.toContain('charge'); }
    }
    const kia = allModels().find((m) => m.make === 'KIA')!;
    expect(kia.capabilities).not.toContain('tires');
    expect(allModels().find((m) => m.make === 'TESLA')!.capabilities).toContain('brand:tesla');
  });

  it('brand list per country', () => {
    const { backend } = memorySim();
    const us = backend.brands('US').map((b) => b.make);
    const de = backend.brands('DE').map((b) => b.make);
    expect(us).toContain('TESLA');
    expect(us).not.toContain('PEUGEOT');
    expect(de).toContain('PEUGEOT');
    expect(de).not.toContain('RAM');
    expect(backend.brands('US').map((b) => b.displayName)).toEqual([...backend.brands('US').map((b) => b.displayName)].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('generated VINs are valid and decode to make, model and year', () => {
    for (const b of BRANDS) {
      const md = b.models[b.models.length - 1]!;
      const vin = makeVin(b, b.models.length - 1, md.endYear, 42);
      expect(vin[8]).toBe(checkDigit(vin));
      const d = decodeVin(vin)!;
      expect(d.brand.make).toBe(b.make);
      expect(d.year).toBe(md.endYear);
      expect(d.modelIndex).toBe(b.models.length - 1);
    }
    expect(checkDigit('1M8GDM9AXKP042788')).toBe('X'); // textbook example
  });

  it('capabilitiesForVin decodes WMI and year; flags makes outside the country', () => {
    const { backend } = memorySim();
    const r = backend.capabilitiesForVin('5YJ3E1EA7KF000000', 'US');
    expect(r && 'make' in r && r.make).toBe('TESLA');
    expect(r && 'year' in r && r.year).toBe(2019);
    expect(backend.capabilitiesForVin('VF3XXXXXXXL000000', 'US')).toEqual({ incompatible: 'MAKE_NOT_COMPATIBLE' });
    expect(backend.capabilitiesForVin('5YJ3E1EA7DF000000', 'US')).toEqual({ incompatible: 'VEHICLE_NOT_COMPATIBLE' }); // 2013
    expect(backend.capabilitiesForVin('nonsense', 'US')).toBeUndefined();
  });
});
