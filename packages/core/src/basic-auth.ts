/**
 * HTTP Basic credentials, read one way everywhere: `Authorization: Basic base64(user:pass)` with
 * user and password each form-urlencoded before encoding (RFC 6749 §2.3.1), so `+` and `%XX` are
 * decoded. Client ids, secrets and management tokens are base64url, which decoding leaves unchanged.
 */
export interface BasicCredentials { user: string; pass: string }

/** True when the header uses the Basic scheme at all (well-formed or not). */
export const isBasicScheme = (header: string | undefined): boolean => header !== undefined && /^basic(\s|$)/i.test(header);

function formDecode(v: string): string {
  try { return decodeURIComponent(v.replace(/\+/g, ' ')); } catch { return v; }
}

/** `Basic base64(user:pass)` → {user, pass}; any other or malformed header → undefined. */
export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: formDecode(decoded.slice(0, i)), pass: formDecode(decoded.slice(i + 1)) };
}
