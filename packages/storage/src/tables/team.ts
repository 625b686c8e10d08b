/** A developer login working in another developer's account (or the account holder, once their own role changed). */
export interface TeamMembersTable {
  /** The login (developers.id); a login works in one account. */
  developer_id: string;
  /** The account whose apps it works on (developers.id of the account holder). */
  account_id: string;
  /** 'owner' | 'developer' | 'viewer' */
  role: string;
  created_at: number;
}

/** An invitation to an account, mailed as a single-use, expiring link (only the token's sha256 stored). */
export interface TeamInvitesTable {
  id: string;
  token_hash: string;
  account_id: string;
  email: string;
  role: string;
  invited_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
