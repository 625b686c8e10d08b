import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startServer, type LiveServer } from './server.js';

/** A 390 px phone, the width the dashboard journeys check besides the desktop. */
export const PHONE_390 = { width: 390, height: 844 } as const;

/** The platform and the browser of a journey, set once the suite's beforeAll has run. */
export interface Journey {
  readonly server: LiveServer;
  readonly browser: Browser;
}

/**
 * The prologue of a browser journey: boots the platform on a free local port and opens Debian
 * Chromium before the suite's tests, and closes both after them. Call it in the `describe` body;
 * tests read `server` and `browser` from what it returns.
 */
export function journey(opts: Parameters<typeof startServer>[0] = {}): Journey {
  const j: { server?: LiveServer; browser?: Browser } = {};
  beforeAll(async () => {
    j.server = await startServer(opts);
    j.browser = await launchBrowser();
  });
  afterAll(async () => {
    await j.browser?.close();
    await j.server?.close();
  });
  return {
    get server() { if (!j.server) throw new Error('the journey has not started (use it inside a test)'); return j.server; },
    get browser() { if (!j.browser) throw new Error('the journey has not started (use it inside a test)'); return j.browser; },
  };
}
