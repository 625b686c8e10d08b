/** Time source. Everything that depends on "now" takes a Clock so tests never sleep. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number { return this.t; }
  set(ms: number): void { this.t = ms; }
  advance(ms: number): void { this.t += ms; }
}
