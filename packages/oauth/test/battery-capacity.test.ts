import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NominalCapacity, VehicleConnector } from '@opencar/connectors';
import { batteryCapacityUrl } from '../src/index.js';
import { Browser, CLIENT, harness, type Harness } from './harness.js';

const SECRET = 'test-secret-key-0123456789';
const reading = (value: NominalCapacity) => ({ value, capturedAt: 0, oemUpdatedAt: 0, retrievedAt: 0, source: 'live' as const });

describe('battery-capacity link', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    const fake = h.backend.connector.bind(h.backend);
    h.backend.connector = async (id: string): Promise<VehicleConnector | undefined> => {
      const base = await fake(id);
      if (id === 'veh-bat') return { ...base!, nominalCapacity: async () => reading({ availableCapacities: [{ capacity: 60, description: null }, { capacity: 75, description: null }], capacity: null, url: null }) };
      if (id === 'veh-down') return { ...base!, nominalCapacity: async () => { throw new Error('vehicle unreachable'); } };
      return base;
    };
  });
  afterAll(async () => h?.close());

  const link = (vehicleId: string, now = h.clock.now()) => {
    const url = new URL(batteryCapacityUrl('http://opencar.test', SECRET, CLIENT.id, vehicleId, now) + encodeURIComponent(CLIENT.redirect));
    return `${url.pathname}${url.search}`;
  };

  it('the owner picks a capacity and returns with vehicle_id, selected_capacity and reason', async () => {
    const b = new Browser(h.app);
    await b.open(link('veh-bat'));
    expect(b.status).toBe(200);
    await b.post('battery', { decision: 'save', capacity: '75' });
    expect(Object.fromEntries(b.result)).toEqual({ vehicle_id: 'veh-bat', selected_capacity: '75', reason: 'battery_capacity' });
  });

  it('"I don\'t know" (or a capacity not offered) → battery_capacity_no_selection with vehicle_id', async () => {
    for (const fields of [{ decision: 'unknown' }, { decision: 'save', capacity: '99' }] as Record<string, string>[]) {
      const b = new Browser(h.app);
      await b.open(link('veh-bat'));
      await b.post('battery', fields);
      expect(b.result.get('error')).toBe('battery_capacity_no_selection');
      expect(b.result.get('vehicle_id')).toBe('veh-bat');
    }
  });

  it('a forged, foreign or expired link is refused with 403 and never redirects', async () => {
    const good = link('veh-bat');
    const forged = good.replace(/token=(\d+)\.([0-9a-f])/, (_m, exp: string, c: string) => `token=${exp}.${c === '0' ? '1' : '0'}`);
    const otherVehicle = good.replace('vehicle_id=veh-bat', 'vehicle_id=veh-down');
    const expired = link('veh-bat', h.clock.now() - 31 * 24 * 3600 * 1000);
    for (const path of [forged, otherVehicle, expired]) {
      const b = new Browser(h.app);
      await b.open(path);
      expect(b.status, path).toBe(403);
      expect(b.location).toBeUndefined();
    }
  });

  it('a connector failure shows an error page instead of pretending there is nothing to choose', async () => {
    const b = new Browser(h.app);
    await b.open(link('veh-down'));
    expect(b.status).toBe(502);
  });
});
