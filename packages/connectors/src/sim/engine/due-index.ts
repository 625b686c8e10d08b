/** What the index orders: a vehicle's state (its due time is `nextAt`, -1 for none). */
export interface Due { readonly id: string; readonly nextAt: number }

/**
 * Vehicles by due time: a binary min-heap of (platform time, vehicle) pairs, earliest first and by
 * id on equal times (the order storage's index gives). Entries are never removed when a vehicle's
 * due time changes: the owner pushes the new time, and an entry whose time no longer matches the
 * vehicle's `nextAt` is dropped when it is met. Parallel arrays, no object per entry.
 */
export class DueIndex<T extends Due> {
  private at: number[] = [];
  private items: T[] = [];
  /** The last answer (taken off the heap, earliest first): what is still due goes back at the next query. */
  private handedAt: number[] = [];
  private handed: T[] = [];

  get size(): number { return this.at.length + this.handedAt.length; }

  push(at: number, item: T): void {
    this.at.push(at);
    this.items.push(item);
    this.up(this.at.length - 1);
  }

  /**
   * Vehicles whose due time is at or before `now`, earliest first, at most `limit`. The answered
   * entries stay in the index (they are still due until the vehicle's state changes); stale and
   * duplicate entries met on the way are dropped.
   */
  due(now: number, limit: number): T[] {
    // Usually the last answer was processed since: its entries are stale and leave without a heap operation.
    for (let i = 0; i < this.handed.length; i++) {
      if (this.handed[i]!.nextAt === this.handedAt[i]!) this.push(this.handedAt[i]!, this.handed[i]!);
    }
    const out: T[] = [];
    const kept: number[] = [];
    const seen = new Set<T>();
    while (this.at.length > 0 && out.length < limit && this.at[0]! <= now) {
      const at = this.at[0]!;
      const item = this.items[0]!;
      this.pop();
      if (item.nextAt !== at || seen.has(item)) continue;
      seen.add(item);
      out.push(item);
      kept.push(at);
    }
    this.handedAt = kept;
    this.handed = out.slice();
    return out;
  }

  /** Replaces every entry by one per due vehicle (compaction when stale entries pile up). */
  rebuild(items: Iterable<T>): void {
    this.at = [];
    this.items = [];
    this.handedAt = [];
    this.handed = [];
    for (const item of items) if (item.nextAt >= 0) { this.at.push(item.nextAt); this.items.push(item); }
    for (let i = (this.at.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private less(i: number, j: number): boolean {
    const a = this.at[i]!;
    const b = this.at[j]!;
    return a < b || (a === b && this.items[i]!.id < this.items[j]!.id);
  }

  private swap(i: number, j: number): void {
    const t = this.at[i]!; this.at[i] = this.at[j]!; this.at[j] = t;
    const u = this.items[i]!; this.items[i] = this.items[j]!; this.items[j] = u;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.at.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && this.less(r, l) ? r : l;
      if (!this.less(m, i)) return;
      this.swap(i, m);
      i = m;
    }
  }

  private pop(): void {
    const last = this.at.length - 1;
    this.swap(0, last);
    this.at.pop();
    this.items.pop();
    if (last > 0) this.down(0);
  }
}
