import type { VehicleBackend } from '@opencar/connectors';

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'NL', 'ES', 'CA'];

/**
 * A make as Connect shows it ("Tesla", "Mercedes-Benz"), not its API code (`TESLA`, `MERCEDES_BENZ`):
 * the backend's brand display name, else the code in title case.
 */
export function makeName(backend: VehicleBackend | undefined, make: string): string {
  for (const country of COUNTRIES) {
    const brand = backend?.brands(country).find((b) => b.make === make);
    if (brand) return brand.displayName;
  }
  return make.split(/[_\s]+/).map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(' ');
}
