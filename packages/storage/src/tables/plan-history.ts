/** One plan a developer was on, from `starts_at` until the next row's `starts_at`. */
export interface PlanHistoryTable {
  id: string;
  developer_id: string;
  /** 'free' | 'payg' | 'enterprise' */
  plan: string;
  /** The developers.plan_limits JSON in force for this period, or null. */
  plan_limits: string | null;
  starts_at: number;
  /** Who made the change: 'signup' | 'developer' | 'operator'. */
  source: string;
}
