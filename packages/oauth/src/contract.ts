import type { ConnectMode } from '@opencar/connectors';

/** What a valid access token grants; checked by the vehicle API on every call. */
export interface AccessContext {
  tokenId: string;
  grantId: string;
  appId: string;
  /** Platform user id (the OEM account), as returned by GET /v2.0/user. */
  userId: string;
  mode: ConnectMode;
  /** Granted permission names, without `required:`. */
  permissions: ReadonlySet<string>;
  /** Vehicles this token may reach (disconnected vehicles removed). */
  vehicleIds: readonly string[];
  expiresAt: number;
  /** Set when the caller is the app itself, holding its application management token (no owner, no token). */
  viaManagementToken?: boolean;
}

/** What a valid application token (v3 client credentials) grants: every vehicle connected to the app. */
export interface AppAccess {
  tokenId: string;
  appId: string;
  expiresAt: number;
}

export interface Connection {
  userId: string;
  vehicleId: string;
  appId: string;
  grantId: string;
  mode: ConnectMode;
  permissions: string[];
  connectedAt: number;
  /** The app's own id for the user (v3 Connect `external_id`), when it gave one. */
  externalId?: string | null;
  /** The public id API v3 names the connection by. */
  id?: string;
}

export interface ConnectionFilter {
  userId?: string;
  vehicleId?: string;
  mode?: ConnectMode;
  /** Any of these modes (v3 `filter[vehicle.mode]`). */
  modes?: ConnectMode[];
  /** v3 `filter[user.externalId]`. */
  externalId?: string;
  /** One connection by its public id. */
  connectionId?: string;
}

/** Grants and tokens as seen by other parts of the platform. */
export interface GrantService {
  verifyAccessToken(token: string): Promise<AccessContext | undefined>;
  /** An application token (v3 client credentials), or undefined; user access tokens are not application tokens. */
  verifyAppToken?(token: string): Promise<AppAccess | undefined>;
  /** Newest first, cursor-paged (management API). */
  listConnections(appId: string, filter: ConnectionFilter, page: { limit: number; cursor?: string }): Promise<{ connections: Connection[]; cursor: string | null }>;
  /** Newest first, by offset, with the total count (API v3 page numbers). */
  connectionsPage?(appId: string, filter: ConnectionFilter, page: { offset: number; limit: number }): Promise<{ connections: Connection[]; total: number }>;
  /** Removes matching connections; tokens lose access at once. Returns what was removed. */
  deleteConnections(appId: string, filter: ConnectionFilter): Promise<{ userId: string; vehicleId: string }[]>;
  /** Connections of one owner across apps (owner portal). */
  ownerConnections(userId: string): Promise<Connection[]>;
  /** Vehicle ids connected to an app (simulator console, sim control API). */
  appVehicleIds(appId: string): Promise<string[]>;
  /** Revokes every grant and token of an app (developer account termination, app deletion). */
  revokeApp(appId: string): Promise<void>;
  /** Forgets any cached token verification after tokens were revoked elsewhere (token endpoint: refresh reuse, code replay). */
  invalidate?(): void;
}
