import { hmacSha256Hex, safeEqual } from '@opencar/core';

const sign = (secretKey: string, clientId: string, vehicleId: string) =>
  hmacSha256Hex(secretKey, `reauthenticate:${clientId}:${vehicleId}`);

/**
 * The Connect re-authentication link for one app's vehicle (wire-contract §2.4), as API errors
 * hand it out in `resolution.url`; the app appends its redirect_uri and state. Signed with the
 * platform secret (`token`), because only a link the API gave to the vehicle's app may open on the
 * brand's sign-in page: a link anyone built starts at the brand list and says nothing about the vehicle.
 * @example reauthenticateUrl('https://opencar.example', key, clientId, vehicleId)
 */
export function reauthenticateUrl(publicUrl: string, secretKey: string | undefined, clientId: string, vehicleId: string): string {
  const q = new URLSearchParams({ response_type: 'vehicle_id', client_id: clientId, vehicle_id: vehicleId });
  if (secretKey) q.set('token', sign(secretKey, clientId, vehicleId));
  return `${publicUrl}/oauth/reauthenticate?${q.toString()}`;
}

/** True when `token` is the platform's signature over this client and vehicle. */
export function isSignedReauthentication(secretKey: string, clientId: string, vehicleId: string, token: string | undefined): boolean {
  return token !== undefined && /^[0-9a-f]{64}$/.test(token) && safeEqual(token, sign(secretKey, clientId, vehicleId));
}
