/** One reading of a real vehicle's charging, as its connector returned it. */
export interface ChargeObservationsTable {
  vehicle_id: string;
  /** When the vehicle captured the values (epoch ms); the retrieval time when it gives none. */
  at: number;
  /** State of charge 0–1. */
  soc: number;
  /** Charging power (kW); null when the vehicle does not report it. */
  power_kw: number | null;
  /** 1 while the vehicle is charging. */
  charging: number;
  plugged_in: number;
}
