import type { Region } from '../../connector.js';

/** Request classes with their own latency distribution. */
export type RequestClass = 'cached' | 'live' | 'wake' | 'command';

/** Latency of a class in seconds: median and cap (log-normal-like draw between min and max). */
export interface LatencySpec { min: number; median: number; max: number }

/**
 * A brand behaviour profile (vehicle-behaviour.md §9). Latencies apply in the realistic latency
 * mode; quotas also only in realistic mode (the zero mode is for development and tests). Sleep,
 * 12 V drain and command rules always apply.
 */
export interface BehaviourProfile {
  id: string;
  latency: Record<RequestClass, LatencySpec>;
  /** Minutes without activity before the vehicle falls asleep. */
  sleepAfterMin: number;
  /** Hours asleep after which the vehicle stops answering until an ignition cycle (GM). */
  deepSleepAfterH: number | null;
  /** What a read of a sleeping vehicle does: serve the OEM cache, fail with ASLEEP, or wake it. */
  asleepRead: 'cache' | 'error' | 'wake';
  /** Minimum minutes between live refreshes; reads in between get the OEM cache (Hyundai/Kia 72). */
  liveEveryMin: number;
  /** OEM quota window: 'utc-day' (reset 00:00 UTC) or a fixed window in ms. */
  quotaWindow: 'utc-day' | number;
  quota: { data: number; command: number; wake: number };
  /** 12 V drain per wake (fraction of capacity) and the LOW_BATTERY threshold. */
  lv: { wakeDrain: number; low: number };
  rules: {
    /** GM refuses charge commands below this SoC (needs ≥ 50 %). */
    minSocForChargeCommands?: number;
    /** Regions where STOP charge is not supported (Nissan US: START only). */
    stopUnsupportedIn?: Region[];
    /** Commands need a paired virtual key (Tesla). */
    virtualKey?: boolean;
    /** Reads sent while the ignition is on return no data (some Acura years). */
    noDataWhileDriving?: boolean;
  };
}

export const UNLIMITED = 1_000_000_000;

export const DEFAULT_LATENCY: Record<RequestClass, LatencySpec> = {
  cached: { min: 0.3, median: 0.8, max: 3 },
  live: { min: 3, median: 8, max: 45 },
  wake: { min: 10, median: 25, max: 60 },
  command: { min: 4, median: 10, max: 60 },
};
