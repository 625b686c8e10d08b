import type { FastifyInstance } from 'fastify';
import { appFromBasic, controllableIds } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { CLOCK_BODY, SECURITY, TAGS } from './schemas.js';
import { clockActionOf, moveClock } from './service.js';

/** `POST /simulator/clock`: the same clock action for every vehicle connected to the app. */
export function fleetClockRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/clock', {
    schema: { tags: TAGS, summary: 'Pause, resume, speed up or advance the clocks of all the app\'s vehicles', security: SECURITY, body: CLOCK_BODY },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const action = clockActionOf(req.body as Parameters<typeof clockActionOf>[0]);
    const ids = await controllableIds(deps, appId);
    const out = [];
    for (const id of ids.slice(0, 10_000)) out.push(await moveClock(deps.simulator, id, action));
    return { vehicles: out.map((o) => o.view), events: out.flatMap((o) => o.events) };
  });
}
