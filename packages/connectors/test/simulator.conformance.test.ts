import { connectorConformance } from './conformance.js';
import { memorySim, oneVehicle } from './helpers.js';

for (const [make, email] of [['TESLA', 'a@example.com'], ['FORD', 'fuel-owner@example.com'], ['TOYOTA', 'b@example.com'], ['HYUNDAI', 'c@example.com'], ['CHEVROLET', 'd@example.com']] as const) {
  connectorConformance(`simulator ${make}`, async () => {
    const { backend } = memorySim();
    const { connector, ctx } = await oneVehicle(backend, make, email);
    return { connector, ctx };
  });
}
