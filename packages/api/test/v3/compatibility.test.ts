import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModels, BRANDS, makeVin } from '@opencar/connectors';
import { testApp } from '../../../../apps/server/test/helpers.js';
import { SIGNALS } from '../../src/routes/v3/signal-map.js';

type T = Awaited<ReturnType<typeof testApp>>;
interface Row { id: string; type: string; attributes: { make: string; model: string; region: string; powertrainType: string; years: { start: number; end: number }; capabilities: { type: string; code: string; permission: string; path?: string }[] } }
interface Cap { type: string; code: string; permission: string; path?: string; capable: boolean; reason: string | null }

/**
 * Compatibility v3: `GET /v3/compatible-vehicles` (public, generated from the simulator's catalogue,
 * filters alone and combined, paging, ETag and 304, bad filters in the v3 error object) and the
 * per-VIN extension `GET /v3/compatible-vehicles/{vin}` with a reason for every signal and command
 * the vehicle cannot answer.
 */
let t: T;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const list = async (query = '') => {
  const res = await get(`/v3/compatible-vehicles${query}`);
  expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
  return res.json() as { data: Row[]; meta: Record<string, number>; links: Record<string, string | null> };
};
/** Every row for the filters, all pages. */
const everything = async (filters = '') => {
  const rows: Row[] = [];
  for (let n = 1; n <= 20; n++) {
    const page = await list(`?${filters}${filters ? '&' : ''}page[size]=100&page[number]=${n}`);
    rows.push(...page.data);
    if (!page.links.next) return rows;
  }
  throw new Error('more than 20 pages');
};
/** A traction battery and a tank: PHEV; a battery: BEV; else ICE (as `GET /v3/vehicles/{id}` says). */
const v3pt = (caps: readonly string[]) => (caps.includes('battery') ? (caps.includes('fuel') ? 'PHEV' : 'BEV') : 'ICE');
const codes = (r: Row) => r.attributes.capabilities.map((c) => c.code);
const vinOf = (make: string, modelIndex: number, year: number) => makeVin(BRANDS.find((b) => b.make === make)!, modelIndex, year, 7);
const byVin = async (vin: string, query = '') => {
  const res = await get(`/v3/compatible-vehicles/${vin}${query}`);
  expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
  return res.json() as { data: { id: string; type: string; attributes: Record<string, unknown> & { capabilities: Cap[] } }; links: { self: string } };
};
const capOf = (caps: Cap[], code: string) => caps.find((c) => c.code === code)!;

describe('GET /v3/compatible-vehicles', () => {
  it('is public and lists one resource per catalogue model and region, with the catalogue\'s years and v3 powertrain', async () => {
    const rows = await everything();
    const expected = allModels().reduce((n, m) => n + m.regions.length, 0);
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r.id)).size).toBe(expected);
    const first = await list('?page[size]=1');
    expect(Object.keys(first).sort()).toEqual(['data', 'links', 'meta']);
    expect(first.meta).toEqual({ pageNumber: 1, pageSize: 1, totalCount: expected });
    expect(Object.keys(first.data[0]!).sort()).toEqual(['attributes', 'id', 'type']);
    expect(Object.keys(first.data[0]!.attributes).sort()).toEqual(['capabilities', 'make', 'model', 'powertrainType', 'region', 'years']);
    for (const m of allModels()) {
      const mine = rows.filter((r) => r.attributes.make === m.make && r.attributes.model === m.model && r.attributes.years.start === m.startYear);
      expect(mine.map((r) => r.attributes.region).sort()).toEqual([...m.regions].sort());
      for (const r of mine) expect(r.attributes).toMatchObject({ years: { start: m.startYear, end: m.endYear }, powertrainType: v3pt(m.capabilities) });
    }
  });

  it('lists the signals and commands a model supports, by what its catalogue capabilities answer', async () => {
    const [tesla] = (await list('?filter[make]=TESLA&filter[region]=US&filter[powertrainType]=BEV')).data;
    const ice = (await everything('filter[make]=FORD&filter[powertrainType]=ICE'))[0]!;
    expect(codes(tesla!)).toEqual(expect.arrayContaining(['tractionbattery-stateofcharge', 'charge-ischarging', 'surveillance-isenabled', 'closure-fronttrunk', 'charge-start', 'charge-set-limit', 'security-lock', 'charge-schedules-daily']));
    expect(codes(tesla!)).not.toContain('internalcombustionengine-fuellevel');
    expect(codes(tesla!)).not.toContain('closure-enginecover');
    expect(codes(tesla!)).not.toContain('closure-tailgate');
    expect(codes(ice)).toEqual(expect.arrayContaining(['internalcombustionengine-fuellevel', 'closure-enginecover', 'odometer-traveleddistance']));
    for (const c of ['charge-start', 'tractionbattery-stateofcharge', 'surveillance-isenabled', 'charge-schedules-daily']) expect(codes(ice)).not.toContain(c);
    expect(tesla!.attributes.capabilities.find((c) => c.code === 'charge-start')).toEqual({ type: 'command', code: 'charge-start', permission: 'control_charge', path: 'commands/charge/start' });
    expect(tesla!.attributes.capabilities.find((c) => c.code === 'charge-schedules-weekly')).toEqual({ type: 'command', code: 'charge-schedules-weekly', permission: 'control_charge', path: 'charge-schedules/weekly' });
    expect(tesla!.attributes.capabilities.find((c) => c.code === 'odometer-traveleddistance')).toEqual({ type: 'signal', code: 'odometer-traveleddistance', permission: 'read_odometer' });
    // Signals keep the catalogue's order, then commands.
    const signalCodes = tesla!.attributes.capabilities.filter((c) => c.type === 'signal').map((c) => c.code);
    expect(signalCodes).toEqual(SIGNALS.map((s) => s.code).filter((c) => signalCodes.includes(c)));
  });

  it('filters by region, make (any case) and powertrain, each alone', async () => {
    const all = await everything();
    for (const region of ['US', 'CA', 'EUROPE']) {
      const rows = await everything(`filter[region]=${region}`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.id)).toEqual(all.filter((r) => r.attributes.region === region).map((r) => r.id));
    }
    const tesla = await everything('filter[make]=tesla');
    expect(tesla.length).toBeGreaterThan(0);
    expect(tesla.map((r) => r.id)).toEqual(all.filter((r) => r.attributes.make === 'TESLA').map((r) => r.id));
    for (const pt of ['ICE', 'BEV', 'PHEV']) {
      const rows = await everything(`filter[powertrainType]=${pt.toLowerCase()}`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.id)).toEqual(all.filter((r) => r.attributes.powertrainType === pt).map((r) => r.id));
    }
    const ev = await everything('filter[powertrainType]=EV');
    expect(ev.map((r) => r.id)).toEqual(all.filter((r) => r.attributes.powertrainType !== 'ICE').map((r) => r.id));
    expect(new Set(ev.map((r) => r.attributes.powertrainType))).toEqual(new Set(['BEV', 'PHEV']));
    // A hybrid without a plug has no traction battery reading: it is listed as ICE.
    const hev = allModels().find((m) => m.powertrain === 'HEV')!;
    expect(all.find((r) => r.attributes.model === hev.model && r.attributes.make === hev.make)!.attributes.powertrainType).toBe('ICE');
  });

  it('combines filters: every row satisfies all of them, and the set is the intersection of each alone', async () => {
    const combined = await everything('filter[region]=EUROPE&filter[make]=FORD&filter[powertrainType]=EV');
    expect(combined.length).toBeGreaterThan(0);
    for (const r of combined) expect(r.attributes).toMatchObject({ region: 'EUROPE', make: 'FORD' });
    for (const r of combined) expect(['BEV', 'PHEV']).toContain(r.attributes.powertrainType);
    const ids = (rows: Row[]) => new Set(rows.map((r) => r.id));
    const [a, b, c] = [ids(await everything('filter[region]=EUROPE')), ids(await everything('filter[make]=FORD')), ids(await everything('filter[powertrainType]=EV'))];
    expect(ids(combined)).toEqual(new Set([...a].filter((id) => b.has(id) && c.has(id))));
    expect((await list('?filter[make]=TESLA&filter[powertrainType]=ICE')).data).toEqual([]);
  });

  it('pages with page[number]/page[size], the filters kept in every link', async () => {
    const all = await everything('filter[region]=US');
    const second = await list('?filter[region]=US&page[size]=10&page[number]=2');
    expect(second.data.map((r) => r.id)).toEqual(all.slice(10, 20).map((r) => r.id));
    expect(second.meta).toEqual({ pageNumber: 2, pageSize: 10, totalCount: all.length });
    expect(second.links.next).toBe('http://opencar.test/v3/compatible-vehicles?filter%5Bregion%5D=US&page%5Bnumber%5D=3&page%5Bsize%5D=10');
    expect(second.links.prev).toContain('page%5Bnumber%5D=1');
    const flat = await list('?filter[region]=US&page=2&pageSize=10');
    expect(flat.meta).toEqual({ page: 2, pageSize: 10, totalCount: all.length });
  });

  it('is cacheable: a strong ETag over the body, Cache-Control for a day, 304 on If-None-Match', async () => {
    const url = '/v3/compatible-vehicles?filter[make]=TESLA';
    const a = await get(url);
    const etag = String(a.headers.etag);
    expect(etag).toBe(`"${createHash('sha256').update(a.body).digest('hex')}"`);
    expect(a.headers['cache-control']).toBe('public, max-age=86400');
    expect((await get(url)).headers.etag).toBe(etag);
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const b = await get(url, { 'if-none-match': inm });
      expect(b.statusCode, inm).toBe(304);
      expect(b.body).toBe('');
      expect(b.headers.etag).toBe(etag);
      expect(b.headers['cache-control']).toBe('public, max-age=86400');
    }
    const stale = await get(url, { 'if-none-match': '"not-this-one"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(a.body);
    const other = await get('/v3/compatible-vehicles?filter[make]=FORD');
    expect(other.headers.etag).not.toBe(etag);
    expect((await get('/v3/compatible-vehicles?filter[make]=FORD', { 'if-none-match': etag })).statusCode).toBe(200);
  });

  it('refuses a bad filter value, an unknown filter key or parameter and a repeated filter with 400 in the v3 error object', async () => {
    const cases: [string, RegExp][] = [
      ['filter[region]=MARS', /filter\[region\] must be one of US, CA, EUROPE/],
      ['filter[region]=', /filter\[region\] must be one of US, CA, EUROPE/],
      ['filter[powertrainType]=HEV', /filter\[powertrainType\] must be one of ICE, BEV, PHEV, EV/],
      ['filter[make]=DELOREAN', /filter\[make\] must be one of .*TESLA/],
      ['filter[model]=Model%203', /Unknown filter filter\[model\]; the parameters are filter\[region\], filter\[make\], filter\[powertrainType\]/],
      ['region=US', /Unknown query parameter region/],
      ['filter[region]=US&filter[region]=CA', /Send filter\[region\] once/],
      ['page[size]=101', /page\[size\] must be an integer from 1 to 100/],
    ];
    for (const [query, message] of cases) {
      const res = await get(`/v3/compatible-vehicles?${query}`);
      expect(res.statusCode, query).toBe(400);
      const body = res.json();
      expect(body.errors[0], query).toMatchObject({ status: '400', type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
      expect(body.errors[0].detail, query).toMatch(message);
      expect(body).toMatchObject({ type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
    }
  });
});

describe('GET /v3/compatible-vehicles/{vin} (opencar extension)', () => {
  it('decodes the VIN and says capable for what the list says the model supports, with a reason for the rest', async () => {
    const vin = vinOf('TESLA', 1, 2022);
    const { data, links } = await byVin(vin);
    expect(data.id).toBe(vin);
    expect(data.type).toBe('vehicle-compatibility');
    const a = data.attributes;
    expect(Object.keys(a).sort()).toEqual(['capabilities', 'compatible', 'make', 'model', 'powertrainType', 'reason', 'region', 'vin', 'year']);
    expect(a).toMatchObject({ vin, region: 'US', compatible: true, reason: null, make: 'TESLA', year: 2022, powertrainType: 'BEV' });
    expect(links.self).toBe(`http://opencar.test/v3/compatible-vehicles/${vin}`);
    const row = (await everything('filter[make]=TESLA&filter[region]=US')).find((r) => r.attributes.model === a.model)!;
    expect(a.capabilities.filter((c) => c.capable).map((c) => c.code)).toEqual(codes(row));
    expect(a.capabilities).toHaveLength(93 + 11);
    for (const c of a.capabilities) expect(c.capable ? c.reason === null : typeof c.reason === 'string').toBe(true);
    expect(capOf(a.capabilities, 'internalcombustionengine-fuellevel')).toMatchObject({ capable: false, reason: 'POWERTRAIN_NOT_CAPABLE', type: 'signal', permission: 'read_fuel' });
    expect(capOf(a.capabilities, 'closure-enginecover')).toMatchObject({ capable: false, reason: 'POWERTRAIN_NOT_CAPABLE' });
    expect(capOf(a.capabilities, 'diagnostics-mil')).toMatchObject({ capable: false, reason: 'MAKE_NOT_CAPABLE' });
    expect(capOf(a.capabilities, 'closure-tailgate')).toMatchObject({ capable: false, reason: 'PLATFORM_NOT_CAPABLE' });
    expect(capOf(a.capabilities, 'charge-start')).toEqual({ type: 'command', code: 'charge-start', permission: 'control_charge', path: 'commands/charge/start', capable: true, reason: null });
  });

  it('an ICE car lacks the charge commands and battery signals for its powertrain; a Ford lacks Sentry Mode for its make', async () => {
    const f150 = allModels().filter((m) => m.make === 'FORD').findIndex((m) => m.model === 'F-150');
    const { data } = await byVin(vinOf('FORD', f150, 2021));
    expect(data.attributes).toMatchObject({ make: 'FORD', model: 'F-150', powertrainType: 'ICE', compatible: true });
    for (const code of ['charge-start', 'charge-schedules-daily', 'tractionbattery-stateofcharge']) expect(capOf(data.attributes.capabilities, code)).toMatchObject({ capable: false, reason: 'POWERTRAIN_NOT_CAPABLE' });
    expect(capOf(data.attributes.capabilities, 'surveillance-isenabled')).toMatchObject({ capable: false, reason: 'MAKE_NOT_CAPABLE' });
    expect(capOf(data.attributes.capabilities, 'internalcombustionengine-fuellevel')).toMatchObject({ capable: true, reason: null });
  });

  it('a VIN of no known make, of a make not sold in the region, or of a year the catalogue does not have: every item not capable, with why', async () => {
    const unknown = await byVin('ZZZ3E1EA7KF000001');
    expect(unknown.data.attributes).toMatchObject({ compatible: false, reason: 'MAKE_NOT_COMPATIBLE', make: null, model: null, year: null, powertrainType: null });
    expect(new Set(unknown.data.attributes.capabilities.map((c) => `${c.capable}:${c.reason}`))).toEqual(new Set(['false:MAKE_NOT_SUPPORTED']));

    const europeOnly = BRANDS.find((b) => !b.regions.includes('US'))!;
    const vin = makeVin(europeOnly, 0, europeOnly.models[0]!.startYear, 3);
    const us = await byVin(vin);
    expect(us.data.attributes).toMatchObject({ compatible: false, reason: 'MAKE_NOT_COMPATIBLE', region: 'US', make: europeOnly.make });
    expect(new Set(us.data.attributes.capabilities.map((c) => c.reason))).toEqual(new Set(['REGION_NOT_SUPPORTED']));
    const eu = await byVin(vin, '?filter[region]=EUROPE');
    expect(eu.data.attributes).toMatchObject({ compatible: true, region: 'EUROPE', make: europeOnly.make });
    expect(eu.links.self).toBe(`http://opencar.test/v3/compatible-vehicles/${vin}?filter%5Bregion%5D=EUROPE`);

    const old = await byVin(vinOf('TESLA', 0, 2012));
    expect(old.data.attributes).toMatchObject({ compatible: false, reason: 'VEHICLE_NOT_COMPATIBLE', make: null });
    expect(new Set(old.data.attributes.capabilities.map((c) => c.reason))).toEqual(new Set(['MODEL_YEAR_NOT_SUPPORTED']));
  });

  it('refuses a malformed VIN, a bad region and other parameters with 400 in the v3 error object, and is cacheable like the list', async () => {
    for (const [path, message] of [
      ['5YJ3E1EA7KF00000', /17 characters/], ['5YJ3E1EA7KF0000O1', /17 characters/], ['5YJ3E1EA7KF000001?filter[region]=ASIA', /filter\[region\] must be one of US, CA, EUROPE/],
      ['5YJ3E1EA7KF000001?filter[make]=TESLA', /Unknown filter filter\[make\]; the parameters are filter\[region\]/],
    ] as const) {
      const res = await get(`/v3/compatible-vehicles/${path}`);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().errors[0], path).toMatchObject({ status: '400', type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
      expect(res.json().errors[0].detail, path).toMatch(message);
    }
    const url = '/v3/compatible-vehicles/5yj3e1ea7kf000001';
    const a = await get(url);
    expect(a.statusCode).toBe(200);
    expect(a.json().data.id).toBe('5YJ3E1EA7KF000001');
    expect(a.headers['cache-control']).toBe('public, max-age=86400');
    expect(a.headers.etag).toBe(`"${createHash('sha256').update(a.body).digest('hex')}"`);
    expect((await get(url, { 'if-none-match': String(a.headers.etag) })).statusCode).toBe(304);
    expect((await get('/v3/compatible-vehicles/5YJ3E1EA7KF000001?filter[region]=CA', { 'if-none-match': String(a.headers.etag) })).statusCode).toBe(200);
  });
});
