/** Simulator state: simulated OEM accounts, their vehicles (state as JSON) and the vehicle event log. */
export interface SimAccountsTable {
  id: string;
  /** Upper-case make the owner signed in with. */
  make: string;
  /** Lower-case email of the simulated OEM login. */
  email: string;
  /** 'live' | 'simulated' | 'test' */
  mode: string;
  country: string;
  /** scrypt hash (core hashPassword) of the password the account was created with; null for accounts older than 0010. */
  password_hash: string | null;
  /** The app whose Connect created the account (accounts are scoped to it); null for accounts no app ever connected. */
  app_id: string | null;
  created_at: number;
}

export interface SimVehiclesTable {
  id: string;
  account_id: string;
  vin: string;
  make: string;
  /** The full simulator state of the vehicle (JSON). */
  state: string;
  /** Incremented by every write (optimistic concurrency between processes). */
  version: number;
  /** Platform time (epoch ms) of the next due event; null when none or the vehicle clock is paused. */
  next_event_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SimEventsTable {
  id: string;
  vehicle_id: string;
  /** CHARGING_STARTED | CHARGING_STOPPED | CHARGING_COMPLETED */
  event_type: string;
  /** Virtual time of the event. */
  at: number;
  created_at: number;
}
