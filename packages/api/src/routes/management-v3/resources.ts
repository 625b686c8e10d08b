import type { IntegrationView, SubscriptionView } from '@opencar/webhooks';

/** The JSON:API resource of an integration ("webhook" in management v3). */
export function webhookResource(publicUrl: string, w: IntegrationView) {
  return {
    id: w.id,
    type: 'webhook',
    attributes: {
      name: w.name, callbackUri: w.callbackUri, errorCallbackUri: w.errorCallbackUri, triggers: w.triggers, signals: w.signals,
      autoSubscribe: w.autoSubscribe, isEnabled: w.isEnabled, isVerified: w.isVerified, verifiedAt: w.verifiedAt, createdAt: w.createdAt,
    },
    links: { self: `${publicUrl}/v3/webhooks/${w.id}` },
  };
}

/** The JSON:API resource of a subscription; its id is `<webhookId>:<vehicleId>`. */
export function subscriptionResource(s: SubscriptionView) {
  return {
    id: `${s.webhookId}:${s.vehicleId}`,
    type: 'subscription',
    attributes: { webhookId: s.webhookId, vehicleId: s.vehicleId, userId: s.userId, createdAt: s.createdAt, vehicle: { mode: s.mode } },
  };
}

/** A JSON:API document example for the OpenAPI reference. */
export const WEBHOOK_EXAMPLE = {
  id: '5a8e5e38-1e12-4011-a36d-56f120053f9e',
  type: 'webhook',
  attributes: {
    name: 'Low battery', callbackUri: 'https://app.example/hooks/smartcar', errorCallbackUri: null,
    triggers: [{ code: 'tractionbattery-stateofcharge', op: '<', value: 20, cooldownSeconds: 3600 }],
    signals: ['tractionbattery-stateofcharge', 'tractionbattery-range'], autoSubscribe: true, isEnabled: true, isVerified: true,
    verifiedAt: '2026-06-01T10:00:00.000Z', createdAt: '2026-06-01T09:59:58.000Z',
  },
  links: { self: 'https://opencar.example/v3/webhooks/5a8e5e38-1e12-4011-a36d-56f120053f9e' },
};

export const SUBSCRIPTION_EXAMPLE = {
  id: '5a8e5e38-1e12-4011-a36d-56f120053f9e:36ab27d0-fd9d-4455-823a-ce30af709ffc',
  type: 'subscription',
  attributes: {
    webhookId: '5a8e5e38-1e12-4011-a36d-56f120053f9e', vehicleId: '36ab27d0-fd9d-4455-823a-ce30af709ffc',
    userId: '93b3ed2c-4a0e-4b8e-a5b5-0f8f3f6a6c1e', createdAt: '2026-06-01T10:05:00.000Z', vehicle: { mode: 'live' },
  },
};
