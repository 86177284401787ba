import { eventStream, Station } from '@chit/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { authenticate, deviceOf } from '../http/auth.js';
import { parse } from '../http/validate.js';
import type { EventFilter } from './frames.js';
import type { LiveEvents } from './live.js';

const Position = z
  .string()
  .regex(/^\d{1,15}$/, 'must be an event id (a whole number)')
  .transform(Number);

const EventsQuery = z.object({
  [eventStream.afterParam]: Position.optional(),
  station: Station.optional(),
  mine: z.enum(['1', 'true', '0', 'false']).optional(),
  table: z.uuid().optional(),
  [eventStream.compactParam]: z.enum(['1', 'true', '0', 'false']).optional(),
});

/**
 * `GET /api/events`, the Server-Sent Events stream (protocol in docs/events.md). Mounted
 * before the app-wide `authenticate`, because this route alone also takes the token as
 * `?access_token=` (EventSource cannot send headers).
 */
export function eventRoutes({ pool, logger, config }: AppDeps, events: LiveEvents): Router {
  const router = Router();
  router.get(
    eventStream.path.replace(/^\/api/, ''),
    authenticate(pool, logger, { writes: config.rateLimits.writes, queryParam: eventStream.tokenParam }),
    (req, res) => {
      const query = parse(EventsQuery, req.query, 'The stream parameters');
      if (req.method === 'HEAD') {
        // Express routes HEAD to GET handlers; a stream has no end, so HEAD gets the
        // headers at once and no subscription.
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
        res.end();
        return;
      }
      const filter: EventFilter = {};
      if (query.station !== undefined) filter.station = query.station;
      if (query.mine === '1' || query.mine === 'true') filter.deviceId = deviceOf(req).id;
      if (query.table !== undefined) filter.tableId = query.table.toLowerCase();
      // EventSource sends Last-Event-ID when it reconnects by itself; it is newer than the
      // URL's ?after= (which it repeats unchanged), so it wins. A malformed one cannot have
      // come from us: start from now, and the client reloads its state.
      const lastEventId = req.get('last-event-id');
      let cursor: number | null = query.after ?? null;
      if (lastEventId !== undefined) cursor = /^\d{1,15}$/.test(lastEventId.trim()) ? Number(lastEventId) : null;
      const compact = query.compact === '1' || query.compact === 'true';
      void events.hub.subscribe(res, filter, cursor, compact, deviceOf(req).id);
    },
  );
  return router;
}
