import { describe, expect, it } from 'vitest';
import { resolveBrandRoute } from '../src/routes/brand/brand-route.js';

describe('brand route resolution', () => {
  it('answers every request with the route built at startup', () => {
    const a = resolveBrandRoute('tesla', 'GET', 'speedometer');
    expect(resolveBrandRoute('tesla', 'get', '/speedometer/')).toBe(a);
    expect(a).toMatchObject({ path: '/tesla/speedometer', method: 'GET', billable: true, requestClass: 'data' });
  });

  it('keeps the case and not-found rules', () => {
    expect(() => resolveBrandRoute('TESLA', 'GET', 'speedometer')).toThrow(expect.objectContaining({ type: 'PERMISSION' }));
    expect(() => resolveBrandRoute('tesla', 'GET', 'warp_drive')).toThrow(expect.objectContaining({ type: 'RESOURCE_NOT_FOUND' }));
    expect(() => resolveBrandRoute('tesla', 'DELETE', 'speedometer')).toThrow(expect.objectContaining({ type: 'RESOURCE_NOT_FOUND' }));
  });
});
