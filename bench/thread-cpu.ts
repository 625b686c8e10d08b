/**
 * CPU time of this process for benchmarks: the main thread alone (from `/proc/self/task/<pid>/stat`,
 * Linux) and all threads together (`process.cpuUsage`), in microseconds. On a shared machine CPU per
 * request is steadier than requests per second; the main thread's share bounds throughput when the
 * server and the load generator share it.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc` times (USER_HZ, 100 on every Linux build Node supports). */
const TICKS_PER_SECOND = 100;

export interface CpuTimes { mainUs: number; processUs: number }

/** Main-thread user + system time in µs, NaN where `/proc` is not there. */
export function mainThreadUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / TICKS_PER_SECOND);
  } catch {
    return Number.NaN;
  }
}

export function cpuNow(): CpuTimes {
  const u = process.cpuUsage();
  return { mainUs: mainThreadUs(), processUs: u.user + u.system };
}

/** CPU spent since `start`, per request. */
export function cpuPerRequest(start: CpuTimes, requests: number): CpuTimes {
  const now = cpuNow();
  const n = Math.max(1, requests);
  return { mainUs: (now.mainUs - start.mainUs) / n, processUs: (now.processUs - start.processUs) / n };
}
