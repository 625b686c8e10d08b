/** Operator accounts (admin page). Times are epoch milliseconds. */
export interface OperatorsTable {
  id: string;
  /** Lower-case. */
  email: string;
  password_hash: string;
  created_at: number;
}
