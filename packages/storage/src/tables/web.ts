/** Browser sessions of the developer dashboard and the owner portal, and owner account deletions. */
export interface WebSessionsTable {
  /** sha256 of the session id; the id itself only ever lives in the HttpOnly cookie. */
  id_hash: string;
  /** 'developer' (dashboard) | 'owner' (owner portal) */
  kind: string;
  /** Developer id, or the platform user id of the owner. */
  subject_id: string;
  /** JSON: owner portal sign-in context (make, e-mail, mode); '{}' for developers. */
  data: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/** Owners who deleted their account in the portal: the tombstone keeps them from being shown old data. */
export interface OwnerDeletionsTable {
  user_id: string;
  deleted_at: number;
}
