import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { testApp } from '../../../apps/server/test/helpers.js';
import { IntegrationReceiver } from '../../webhooks/test/integration-receiver.js';
import { FormClient, inputValue } from './browser-client.js';
import { en } from '../src/i18n/en.js';

type T = Awaited<ReturnType<typeof testApp>>;

const SOC = 'tractionbattery-stateofcharge';
const RANGE = 'tractionbattery-range';
const LOCKED = 'closure-islocked';

async function developerWithApp(t: T, email: string) {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email, password: 'correct horse battery', accept_tos: 'on' });
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: `App of ${email}`, redirect_uris: 'https://app.example/cb', scope: ['read_battery', 'read_security'], mode: 'simulated' });
  return { c, appId: inputValue(res.body, 'client-id')!, amt: inputValue(res.body, 'amt')! };
}

/** A simulated owner's vehicle connected to the app; returns its id. */
async function connectVehicle(t: T, appId: string, email: string): Promise<string> {
  const signed = await t.platform.backend.signIn({ make: 'TESLA', email, password: 'x', mode: 'simulated', country: 'US' });
  if (!signed.ok) throw new Error('sign-in failed');
  const vid = signed.vehicles[0]!.vehicleId;
  await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_battery'], mode: 'simulated' });
  return vid;
}

/** The new-integration form as a developer fills it in. */
const filled = (url: string, extra: Record<string, string | string[]> = {}) => ({
  name: 'Low battery', callback_uri: url, error_callback_uri: '', trigger: [SOC, LOCKED], signal: [SOC, RANGE],
  'cond-0-code': SOC, 'cond-0-op': '<', 'cond-0-value': '20', 'cond-0-cooldown': '3600', auto_subscribe: 'on', ...extra,
});

const errorAlert = (body: string) => /<div class="alert alert-error"[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
const unescape = (x: string) => x.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('dashboard: API v3 integrations', () => {
  let t: T;
  let rx: IntegrationReceiver;
  let dev: Awaited<ReturnType<typeof developerWithApp>>;
  const list = () => t.platform.integrations.list(dev.appId, {}, { offset: 0, limit: 100 });

  beforeEach(async () => {
    t = await testApp({ OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'true' });
    dev = await developerWithApp(t, 'dev@example.com');
    rx = new IntegrationReceiver(dev.amt);
    await rx.start();
  });
  afterEach(async () => { await rx.stop(); await t.close(); });

  async function create(extra: Record<string, string | string[]> = {}): Promise<string> {
    await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/new`);
    const res = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations`, filled(rx.url, extra));
    expect(res.statusCode, errorAlert(res.body)).toBe(303);
    const id = /\/integrations\/([^/?]+)\?created=1$/.exec(String(res.headers.location))?.[1];
    expect(id).toBeTruthy();
    return id!;
  }

  it('the app has an Integrations tab; the list starts empty', async () => {
    const page = await dev.c.get(`/dashboard/apps/${dev.appId}/integrations`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a href="/dashboard/apps/${dev.appId}/integrations" aria-current="page">Integrations (v3)</a>`);
    expect(page.body).toContain('id="no-integrations"');
    expect((await dev.c.get(`/dashboard/apps/${dev.appId}`)).body).toContain(`href="/dashboard/apps/${dev.appId}/integrations"`);
  });

  it('every signal group of the catalogue has a name in the dictionaries, shown on the form in the page\'s language', async () => {
    const groups = [...new Set(t.platform.integrations.signalChoices().map((c) => c.group))];
    expect(groups.length).toBe(19);
    expect(groups.filter((g) => !(`integ.group.${g}` in en))).toEqual([]);
    const de = new FormClient(t.app, { 'accept-language': 'de' });
    de.cookies.set('oc_dev', dev.c.cookies.get('oc_dev')!);
    const form = await de.get(`/dashboard/apps/${dev.appId}/integrations/new`);
    expect(form.body).toContain('<summary>Antriebsbatterie <span class="muted">(5 Signale)</span></summary>');
    expect(form.body).toContain('<summary>Kilometerzähler <span class="muted">(1 Signal)</span></summary>');
  });

  it('creates an integration: VERIFY answered, triggers, a condition and data signals stored; listed with its counts', async () => {
    const id = await create();
    expect(rx.requests.map((r) => r.body.eventType)).toEqual(['VERIFY']);
    expect(rx.requests[0]!.headers['sc-signature']).toBeUndefined();
    const stored = await t.platform.integrations.get(dev.appId, id);
    expect(stored).toMatchObject({
      name: 'Low battery', callbackUri: rx.url, errorCallbackUri: null, signals: [SOC, RANGE], autoSubscribe: true, isVerified: true, isEnabled: false,
      triggers: [{ code: SOC }, { code: LOCKED }, { code: SOC, op: '<', value: 20, cooldownSeconds: 3600 }],
    });
    const detail = await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}?created=1`);
    expect(detail.body).toContain('The integration answered VERIFY and is saved.');
    expect(detail.body).toContain('data-state="disabled"');
    expect(unescape(detail.body)).toContain(`Traction battery · State of charge <code>${SOC}</code>: when it is below (<) 20, at most once every 3600 s`);
    expect(detail.body).toContain(`Closure · Is locked <code>${LOCKED}</code>: every change`);
    expect(detail.body).toContain('id="enable-integration"');
    const row = /<tr data-integration-id="[^"]+">[\s\S]*?<\/tr>/.exec((await dev.c.get(`/dashboard/apps/${dev.appId}/integrations`)).body)![0];
    expect(row).toContain(`>Low battery</a>`);
    expect(row).toContain(rx.url);
    expect(row).toContain('<td class="n-triggers">3</td><td class="n-signals">2</td>');
    expect(row).toMatch(/<td class="n-subscriptions"><a [^>]+>0<\/a><\/td>/);
  });

  it('a receiver that fails VERIFY saves nothing, says why, and the form keeps every typed value', async () => {
    rx.answer = 'wrong';
    await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/new`);
    const res = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations`, filled(rx.url, { error_callback_uri: `${rx.url}/errors` }));
    expect(res.statusCode).toBe(400);
    expect(errorAlert(res.body)).toContain('Nothing was saved: the callback URI did not answer VERIFY correctly: wrong challenge answer');
    expect(rx.requests.map((r) => r.body.eventType)).toEqual(['VERIFY']);
    expect((await list()).total).toBe(0);
    expect(res.body).toContain('value="Low battery"');
    expect(res.body).toContain(`value="${rx.url}"`);
    expect(res.body).toContain(`value="${rx.url}/errors"`);
    for (const id of [`trigger-${SOC}`, `trigger-${LOCKED}`, `signal-${SOC}`, `signal-${RANGE}`]) expect(res.body).toMatch(new RegExp(`id="${id}"[^>]* checked`));
    expect(res.body).not.toMatch(new RegExp(`id="signal-${LOCKED}"[^>]* checked`));
    expect(res.body).toContain(`<option value="${SOC}" selected>`);
    expect(res.body).toMatch(/<option value="&lt;" selected>/);
    expect(res.body).toContain('name="cond-0-value" value="20"');
    expect(res.body).toContain('name="cond-0-cooldown" value="3600"');
    expect(res.body).toMatch(/id="auto-subscribe" name="auto_subscribe" checked/);
    // The form cannot be sent twice while VERIFY runs (app.js), and says that it is running.
    expect(res.body).toContain('data-busy="Sending the verify challenge… (up to 15 s)"');
    expect(res.body).toMatch(/<p class="busy-note" data-busy-note hidden><progress aria-label="Verification in progress"><\/progress>/);
  });

  it('invalid fields are refused beside the fields, nothing is stored or sent, and every value stays', async () => {
    await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/new`);
    const res = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations`, filled('not a url', {
      error_callback_uri: 'ftp://127.0.0.1/errors', 'cond-0-value': 'lots', 'cond-1-code': LOCKED, 'cond-1-op': '=', 'cond-1-value': 'true', 'cond-1-cooldown': '1.5',
    }));
    expect(res.statusCode).toBe(400);
    expect(errorAlert(res.body)).toContain('The integration was not saved: correct the fields marked below.');
    const fieldError = (name: string) => new RegExp(`name="${name}"[^>]*aria-invalid="true">\\s*(?:<small[^>]*hint[^>]*>[^<]*</small>)?<small id="[^"]+-err" class="error">([^<]+)</small>`).exec(res.body)?.[1];
    expect(fieldError('callback_uri')).toBe('must be an absolute http(s) URL');
    expect(fieldError('error_callback_uri')).toBe('must be an absolute http(s) URL');
    expect(/<small id="cond-0-err" class="error cond-error">([^<]+)<\/small>/.exec(res.body)?.[1]).toBe('value: op &lt; needs a number');
    expect(/<small id="cond-1-err" class="error cond-error">([^<]+)<\/small>/.exec(res.body)?.[1]).toBe('cooldownSeconds: must be a whole number of seconds from 0 to 2592000');
    expect(res.body).toContain('value="not a url"');
    expect(res.body).toContain('value="ftp://127.0.0.1/errors"');
    expect(res.body).toContain('name="cond-0-value" value="lots"');
    expect(res.body).toContain('name="cond-1-value" value="true"');
    expect(res.body).toContain('name="cond-1-cooldown" value="1.5"');
    expect(res.body).toContain(`<option value="${LOCKED}" selected>`);
    expect(rx.requests).toEqual([]);
    expect((await list()).total).toBe(0);
    // A trigger code outside the catalogue is named at the picker.
    const unknown = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations`, filled(rx.url, { trigger: ['charge-nosuchthing'] }));
    expect(unknown.statusCode).toBe(400);
    expect(/<p id="picker-err" class="error">([^<]+)<\/p>/.exec(unknown.body)?.[1]).toBe('Triggers: charge-nosuchthing is not a signal code of the catalogue');
  });

  it('plan gating: signals outside the Free plan are marked, refused with a link to the plans page, and nothing is stored', async () => {
    const form = await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/new`);
    expect(form.body).toContain('Your plan includes 12 signals in webhooks');
    expect(form.body).toMatch(/<th scope="row" id="l-charge-chargerate">Charge rate<code>charge-chargerate<\/code><span class="badge warn not-in-plan">not in your plan<\/span><\/th>/);
    expect(form.body).toMatch(new RegExp(`<th scope="row" id="l-${SOC}">State of charge<code>${SOC}</code></th>`));
    const res = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations`, filled(rx.url, { trigger: ['charge-chargerate'] }));
    expect(res.statusCode).toBe(400);
    expect(errorAlert(res.body)).toContain('charge-chargerate');
    expect(errorAlert(res.body)).toContain('<a href="/dashboard/plans" id="see-plans">');
    expect(res.body).toMatch(/id="trigger-charge-chargerate"[^>]* checked/);
    expect(rx.requests).toEqual([]);
    expect((await list()).total).toBe(0);
  });

  it('edit: the form shows what is stored; a change is saved; a new callback URI that fails VERIFY leaves it unverified and it cannot be enabled', async () => {
    const id = await create();
    const edit = await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}/edit`);
    expect(edit.body).toContain('value="Low battery"');
    expect(edit.body).toMatch(new RegExp(`id="trigger-${LOCKED}"[^>]* checked`));
    expect(edit.body).toContain('name="cond-0-value" value="20"');
    const saved = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}`, filled(rx.url, { name: 'Battery watch', trigger: [SOC], 'cond-0-value': '15' }));
    expect(saved.headers.location).toBe(`/dashboard/apps/${dev.appId}/integrations/${id}?updated=1`);
    expect(await t.platform.integrations.get(dev.appId, id)).toMatchObject({ name: 'Battery watch', isVerified: true, triggers: [{ code: SOC }, { code: SOC, op: '<', value: 15, cooldownSeconds: 3600 }] });

    rx.answer = 'error';
    await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}/edit`);
    const moved = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}`, filled(`${rx.url}/moved`, { name: 'Battery watch' }));
    expect(moved.statusCode).toBe(200);
    expect(errorAlert(moved.body)).toContain('Saved, but the new callback URI did not answer VERIFY correctly');
    expect(errorAlert(moved.body)).toContain('HTTP 500');
    expect(moved.body).toContain('data-state="unverified"');
    expect(moved.body).not.toContain('id="enable-integration"');
    const refused = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/enabled`, { enabled: '1' });
    expect(refused.statusCode).toBe(400);
    expect(errorAlert(refused.body)).toContain('must answer VERIFY before it can be enabled');
    expect(await t.platform.integrations.get(dev.appId, id)).toMatchObject({ callbackUri: `${rx.url}/moved`, isVerified: false, isEnabled: false });

    await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}`);
    const stillDown = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/verify`, {});
    expect(stillDown.statusCode).toBe(200);
    expect(errorAlert(stillDown.body)).toContain('The callback URI did not answer VERIFY correctly: HTTP 500');

    // Verify again once the receiver answers.
    rx.answer = 'ok';
    const verified = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/verify`, {});
    expect(verified.headers.location).toBe(`/dashboard/apps/${dev.appId}/integrations/${id}?verified=1`);
    expect((await t.platform.integrations.get(dev.appId, id)).isVerified).toBe(true);
    expect((await dev.c.get(String(verified.headers.location))).body).toContain('The integration answered VERIFY.');

    // Moving it to an address that answers: verified again, and disabled until enabled.
    await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/enabled`, { enabled: '1' });
    const again = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}`, filled(`${rx.url}/again`, { name: 'Battery watch' }));
    expect(again.headers.location).toBe(`/dashboard/apps/${dev.appId}/integrations/${id}?updated=verified`);
    expect((await dev.c.get(String(again.headers.location))).body).toContain('The integration is disabled until you enable it again.');
    expect(await t.platform.integrations.get(dev.appId, id)).toMatchObject({ callbackUri: `${rx.url}/again`, isVerified: true, isEnabled: false });
  });

  it('enable and disable', async () => {
    const id = await create();
    await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}`);
    const on = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/enabled`, { enabled: '1' });
    expect(on.headers.location).toBe(`/dashboard/apps/${dev.appId}/integrations/${id}?enabled=1`);
    expect((await t.platform.integrations.get(dev.appId, id)).isEnabled).toBe(true);
    const page = await dev.c.get(String(on.headers.location));
    expect(page.body).toContain('data-state="enabled"');
    expect(page.body).toContain('id="disable-integration"');
    expect(page.body).toContain('Enabled: subscribed vehicles are watched');
    await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/enabled`, { enabled: '0' });
    expect(await t.platform.integrations.get(dev.appId, id)).toMatchObject({ isEnabled: false, isVerified: true });
    expect((await list()).items[0]!.isEnabled).toBe(false);
  });

  it('subscribes a connected vehicle (listed by make, model, year and VIN tail) and unsubscribes it; other vehicles are 404', async () => {
    const id = await create();
    const vid = await connectVehicle(t, dev.appId, 'owner@example.com');
    const base = `/dashboard/apps/${dev.appId}/integrations/${id}/subscriptions`;
    const empty = await dev.c.get(base);
    expect(empty.body).toContain('id="no-subscriptions"');
    expect(empty.body).toMatch(new RegExp(`<option value="${vid}">Tesla .+ \\d{4} · VIN …\\w{4}</option>`));
    const sub = await dev.c.post(base, { op: 'subscribe', vehicle_id: vid });
    expect(sub.headers.location).toBe(`${base}?subscribed=1`);
    const page = await dev.c.get(`${base}?subscribed=1`);
    expect(/<th scope="row" class="vehicle-name" title="[^"]+">([^<]+)<\/th>/.exec(page.body)?.[1]).toMatch(/^Tesla .+ \d{4} · VIN …\w{4}$/);
    expect(page.body).toContain('id="no-vehicles"');
    expect((await t.platform.integrations.subscriptions(dev.appId, { webhookId: id }, { offset: 0, limit: 10 })).items.map((s) => s.vehicleId)).toEqual([vid]);
    expect((await dev.c.post(base, { op: 'subscribe', vehicle_id: vid })).headers.location).toBe(`${base}?subscribed=again`);
    expect((await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}`)).body).toContain('Subscribed vehicles (1)');

    const unsub = await dev.c.post(base, { op: 'unsubscribe', vehicle_id: vid });
    expect(unsub.headers.location).toBe(`${base}?unsubscribed=1`);
    expect((await t.platform.integrations.subscriptions(dev.appId, { webhookId: id }, { offset: 0, limit: 10 })).total).toBe(0);
    const csrf = dev.c.csrf(); // error pages carry no form: keep the token of the last page that had one
    expect((await dev.c.post(base, { _csrf: csrf, op: 'unsubscribe', vehicle_id: vid })).statusCode).toBe(404);
    expect((await dev.c.post(base, { _csrf: csrf, op: 'subscribe', vehicle_id: 'no-such-vehicle' })).statusCode).toBe(404);
  });

  it('another account\'s integration is 404 on every page and action, and stays as it was', async () => {
    const theirs = await developerWithApp(t, 'other@example.com');
    const other = new IntegrationReceiver(theirs.amt);
    await other.start();
    try {
      await theirs.c.get(`/dashboard/apps/${theirs.appId}/integrations/new`);
      const made = await theirs.c.post(`/dashboard/apps/${theirs.appId}/integrations`, filled(other.url));
      const theirId = /\/integrations\/([^/?]+)\?/.exec(String(made.headers.location))![1]!;
      const theirVehicle = await connectVehicle(t, theirs.appId, 'their-owner@example.com');
      await dev.c.get(`/dashboard/apps/${dev.appId}/integrations`);
      const csrf = dev.c.csrf(); // error pages carry no form: keep the token of a page that had one
      for (const url of [`/dashboard/apps/${theirs.appId}/integrations`, `/dashboard/apps/${theirs.appId}/integrations/${theirId}`,
        `/dashboard/apps/${dev.appId}/integrations/${theirId}`, `/dashboard/apps/${dev.appId}/integrations/${theirId}/edit`, `/dashboard/apps/${dev.appId}/integrations/${theirId}/subscriptions`]) {
        expect((await dev.c.get(url)).statusCode, url).toBe(404);
      }
      const mine = `/dashboard/apps/${dev.appId}/integrations/${theirId}`;
      for (const [url, form] of [[`${mine}/verify`, {}], [`${mine}/enabled`, { enabled: '1' }], [`${mine}/delete`, {}], [`${mine}/subscriptions`, { op: 'subscribe', vehicle_id: theirVehicle }],
        [mine, filled(rx.url, { name: 'Taken over' })], [`/dashboard/apps/${theirs.appId}/integrations/${theirId}/delete`, {}]] as const) {
        expect((await dev.c.post(url, { _csrf: csrf, ...(form as Record<string, string>) })).statusCode, url).toBe(404);
      }
      expect(await t.platform.integrations.get(theirs.appId, theirId)).toMatchObject({ name: 'Low battery', isVerified: true, isEnabled: false });
      expect((await t.platform.integrations.subscriptions(theirs.appId, {}, { offset: 0, limit: 10 })).total).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('delete asks first and removes it from the list', async () => {
    const id = await create();
    const detail = await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}`);
    expect(detail.body).toMatch(/data-confirm="Delete this integration\? Its subscriptions end and queued events are dropped.">/);
    const del = await dev.c.post(`/dashboard/apps/${dev.appId}/integrations/${id}/delete`, {});
    expect(del.headers.location).toBe(`/dashboard/apps/${dev.appId}/integrations?deleted=1`);
    expect((await list()).total).toBe(0);
    expect((await dev.c.get(`/dashboard/apps/${dev.appId}/integrations/${id}`)).statusCode).toBe(404);
  });
});
