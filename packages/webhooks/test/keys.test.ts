import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, encryptSecret, sha256 } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { newDelivery, type WebhookService } from '../src/index.js';
import { SECRET, connect, emit, event, seedApp, service } from './fixtures.js';
import { Receiver } from './receiver.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: key rotation and deleted webhooks [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let svc: WebhookService;
    let before: Receiver;
    let after: Receiver;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      await connect(storage, 'app1', 'v1');
      svc = service(storage, clock);
      before = new Receiver(amt);
      after = new Receiver('amt-rotated-9876543210');
      await before.start();
      await after.start();
    });
    afterAll(async () => { await svc?.close(); await before?.stop(); await after?.stop(); await dispose?.(); });

    it('a rotated AMT signs the very next delivery, sent to the webhook\'s current URL', async () => {
      const hook = await svc.create('app1', { url: before.url, type: 'eventBased' });
      await svc.subscribe('app1', hook.id, 'v1');
      await emit(storage, svc, [event('v1', clock.now())]);
      await svc.deliverer.runUntilIdle();
      expect(before.events()).toHaveLength(1);
      await storage.db.updateTable('apps').set({ amt_hash: sha256('amt-rotated-9876543210'), amt_enc: encryptSecret(SECRET, 'amt-rotated-9876543210') }).where('id', '=', 'app1').execute();
      await svc.repo.updateWebhook(hook.id, { url: after.url });
      clock.advance(1000);
      await emit(storage, svc, [event('v1', clock.now())]);
      await svc.deliverer.runUntilIdle();
      expect(before.events()).toHaveLength(1);
      expect(after.received.map((r) => r.verified)).toEqual([true]);
    });

    it('dead-letters a delivery whose webhook is gone, without sending it anywhere', async () => {
      await svc.repo.enqueue([newDelivery({ id: 'orphan-1', webhookId: 'no-such-webhook', appId: 'app1', orderKey: 'v1', eventName: 'eventBased', body: '{}', now: clock.now() })]);
      expect(await svc.deliverer.runUntilIdle()).toBe(1);
      const d = await svc.repo.getDelivery('orphan-1');
      expect(d).toMatchObject({ status: 'dead', attempts: 1, last_error: 'webhook deleted' });
    });
  });
}
