/** Great-circle helpers for trips along a route given as flat [lat, lon, lat, lon, …]. */
const R_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function routeKm(route: readonly number[]): number {
  let km = 0;
  for (let i = 2; i + 1 < route.length; i += 2) km += haversineKm(route[i - 2]!, route[i - 1]!, route[i]!, route[i + 1]!);
  return km;
}

/** Position and heading (degrees from north) after `km` along the route (linear between points). */
export function pointAlong(route: readonly number[], km: number): { lat: number; lon: number; heading: number } {
  let left = Math.max(0, km);
  for (let i = 2; i + 1 < route.length; i += 2) {
    const la1 = route[i - 2]!, lo1 = route[i - 1]!, la2 = route[i]!, lo2 = route[i + 1]!;
    const seg = haversineKm(la1, lo1, la2, lo2);
    const heading = bearing(la1, lo1, la2, lo2);
    if (left <= seg || i + 2 >= route.length) {
      const f = seg === 0 ? 1 : Math.min(1, left / seg);
      return { lat: la1 + (la2 - la1) * f, lon: lo1 + (lo2 - lo1) * f, heading };
    }
    left -= seg;
  }
  return { lat: route[0] ?? 0, lon: route[1] ?? 0, heading: 0 };
}

export function bearing(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const y = Math.sin(rad(lon2 - lon1)) * Math.cos(rad(lat2));
  const x = Math.cos(rad(lat1)) * Math.sin(rad(lat2)) - Math.sin(rad(lat1)) * Math.cos(rad(lat2)) * Math.cos(rad(lon2 - lon1));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

/** The part of the route driven after `km` (its points up to there, then the position reached). */
export function routeUpTo(route: readonly number[], km: number): number[] {
  const out = [route[0] ?? 0, route[1] ?? 0];
  let left = Math.max(0, km);
  for (let i = 2; i + 1 < route.length; i += 2) {
    const seg = haversineKm(route[i - 2]!, route[i - 1]!, route[i]!, route[i + 1]!);
    if (left < seg) break;
    out.push(route[i]!, route[i + 1]!);
    left -= seg;
  }
  const end = pointAlong(route, km);
  if (out[out.length - 2] !== end.lat || out[out.length - 1] !== end.lon) out.push(end.lat, end.lon);
  return out;
}

/** At most `max` points of a flat route, evenly picked, first and last kept; coordinates rounded to 1e-6°. */
export function thin(route: readonly number[], max: number): number[] {
  const n = route.length / 2;
  const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
  if (n <= max) return route.map(r6);
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    out.push(r6(route[2 * i]!), r6(route[2 * i + 1]!));
  }
  return out;
}
