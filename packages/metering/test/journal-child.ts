// Child process for ledger-journal.test.ts: records ledger entries in a loop through a
// MeteringService on a SQLite file and prints each request id once `record` resolved
// (acknowledged). The parent kills it with SIGKILL mid-stream.
import { systemClock } from '@opencar/core';
import { openStorage } from '@opencar/storage';
import { MeteringService } from '../src/index.js';
import { entry, silent } from './fixtures.js';

const [url, appId] = process.argv.slice(2) as [string, string];
const storage = await openStorage(url, { migrate: false });
const m = new MeteringService(storage, systemClock, silent);
for (let i = 0; i < 1_000_000; i++) {
  // 16 concurrent records per turn, like concurrent requests: one journal group.
  const batch = Array.from({ length: 16 }, (_, k) => entry({ appId, at: Date.UTC(2026, 2, 10), vehicleId: `car-${(i + k) % 3}` }));
  await Promise.all(batch.map((e) => m.record(e)));
  process.stdout.write(batch.map((e) => `${e.requestId}\n`).join(''));
}
