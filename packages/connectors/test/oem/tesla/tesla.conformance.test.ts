import { connectorConformance } from '../../conformance.js';
import { teslaHarness } from './harness.js';

connectorConformance('tesla fleet api (emulated)', async () => {
  const h = await teslaHarness();
  const { vehicleId, ctx } = await h.connected();
  const connector = (await h.backend.connector(vehicleId))!;
  return { connector, ctx, close: () => h.close() };
});
