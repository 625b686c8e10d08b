import type { Region } from '../connector.js';

/** Home locations per region for new simulated vehicles (city centres; a seeded jitter is added). */
export const PLACES: Record<Region, readonly [string, number, number][]> = {
  US: [
    ['San Francisco', 37.7749, -122.4194], ['Los Angeles', 34.0522, -118.2437], ['Seattle', 47.6062, -122.3321],
    ['Denver', 39.7392, -104.9903], ['Austin', 30.2672, -97.7431], ['Chicago', 41.8781, -87.6298],
    ['Detroit', 42.3314, -83.0458], ['New York', 40.7128, -74.006], ['Boston', 42.3601, -71.0589], ['Miami', 25.7617, -80.1918],
  ],
  CA: [
    ['Toronto', 43.6532, -79.3832], ['Montréal', 45.5017, -73.5673], ['Vancouver', 49.2827, -123.1207],
    ['Calgary', 51.0447, -114.0719], ['Ottawa', 45.4215, -75.6972],
  ],
  EUROPE: [
    ['Berlin', 52.52, 13.405], ['Munich', 48.1351, 11.582], ['Paris', 48.8566, 2.3522], ['Amsterdam', 52.3676, 4.9041],
    ['Oslo', 59.9139, 10.7522], ['Stockholm', 59.3293, 18.0686], ['Madrid', 40.4168, -3.7038], ['Milan', 45.4642, 9.19],
    ['London', 51.5074, -0.1278], ['Vienna', 48.2082, 16.3738],
  ],
};
