import { existsSync } from 'node:fs';
import path from 'node:path';
import { eventStream, headers, limits } from '@chit/shared';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Clock, Random } from './clock.js';
import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import { deviceRoutes, pairingRoutes } from './devices/routes.js';
import type { LiveEvents } from './events/live.js';
import { eventRoutes } from './events/routes.js';
import { authenticate } from './http/auth.js';
import { errorHandler, HttpError, notFoundHandler } from './http/errors.js';
import { keepRefusals, requireIdempotencyKey } from './http/idempotency.js';
import { isWrite } from './http/methods.js';
import { rateLimit } from './http/rate-limit.js';
import { securityHeaders } from './http/security.js';
import { requestTimeout } from './http/timeout.js';
import type { Logger } from './logger.js';
import { menuEditRoutes } from './menu/edit-routes.js';
import { menuRoutes } from './menu/routes.js';
import { orderRoutes } from './orders/routes.js';
import { reportRoutes } from './reports/routes.js';
import { tableRoutes } from './tables/routes.js';

export interface AppDeps {
  pool: Pool;
  clock: Clock;
  random: Random;
  config: Config;
  logger: Logger;
  /** The live event stream; without it `GET /api/events` does not exist (tests that need no stream). */
  events?: LiveEvents;
}

const tokenInUrl = new RegExp(`([?&]${eventStream.tokenParam}=)[^&#]*`, 'g');

/** The request as pino-http logs it, minus the token EventSource has to put in the URL. */
function redactedRequest(req: { url?: string; query?: unknown }) {
  if (req.url) req.url = req.url.replace(tokenInUrl, '$1[Redacted]');
  if (typeof req.query === 'object' && req.query !== null && eventStream.tokenParam in req.query) {
    req.query = { ...req.query, [eventStream.tokenParam]: '[Redacted]' };
  }
  return req;
}

/** Builds the whole HTTP app from its dependencies; does not listen (main.ts does). */
export function createApp(deps: AppDeps): Express {
  const { pool, config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders({ https: config.tls !== null }));
  // The event stream stays open for as long as the tablet listens.
  app.use(requestTimeout(config.requestTimeoutMs, (req) => req.path === '/api/events'));

  const api = express.Router();
  // A request log line is info; below that level, skip the per-request logger entirely.
  if (logger.isLevelEnabled('info')) {
    api.use(
      pinoHttp({
        logger,
        autoLogging: { ignore: (req) => req.url?.startsWith('/api/health') === true },
        serializers: { req: redactedRequest },
      }),
    );
  }
  api.use((req, _res, next) => {
    // A write with a body must say it is JSON; otherwise it would arrive as an empty object.
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Send the request body as JSON (Content-Type: application/json).',
      );
    }
    next();
  });
  api.use(express.json({ limit: limits.maxBodyBytes, strict: true }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  api.get('/health', async (_req, res) => {
    await pool.query('SELECT 1');
    res.json({ ok: true });
  });
  // For a load balancer or an orchestrator: "live" is this process answering (restart it
  // when not), "ready" is this instance able to take writes now (send it traffic only then).
  // In a failover every instance is live and, for a few seconds, none is ready.
  api.get('/health/live', (_req, res) => {
    res.json({ ok: true });
  });
  api.get('/health/ready', async (_req, res) => {
    let writable = false;
    try {
      // Through HAProxy this is the primary; a standby (or a demoted primary) says it is in
      // recovery, and its transactions are read-only.
      const { rows } = await pool.query<{ writable: boolean }>(
        `SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' AS writable`,
      );
      writable = rows[0]?.writable === true;
    } catch (err) {
      logger.warn({ message: err instanceof Error ? err.message : String(err) }, 'readiness check failed');
    }
    if (!writable) res.setHeader(headers.retryAfter, '1');
    res.status(writable ? 200 : 503).json({ ok: writable, database: writable ? 'writable' : 'unavailable' });
  });
  const events = deps.events;
  if (events) {
    // After a write's response its transaction has committed (or rolled back): have its
    // events sequenced now rather than at the next sweep. 'close' also fires when the
    // client hung up before the answer, which may still have committed.
    api.use((req, res, next) => {
      if (isWrite(req.method)) res.once('close', () => res.statusCode < 400 && events.written());
      next();
    });
  }
  // Pairing codes are guessable only by trying: few tries per address.
  api.post(
    '/pair',
    rateLimit(pool, config.rateLimits.pair, (req) => `pair:${req.ip}`, 'Too many pairing attempts from this address.'),
  );
  api.use(pairingRoutes(deps));
  if (events) api.use(eventRoutes(deps, events));
  api.use(authenticate(pool, logger, { writes: config.rateLimits.writes }));
  api.use(requireIdempotencyKey);
  api.use(menuRoutes(deps));
  api.use(menuEditRoutes(deps));
  api.use(tableRoutes(deps));
  api.use(orderRoutes(deps));
  api.use(deviceRoutes(deps));
  api.use(reportRoutes(deps));
  api.use(notFoundHandler);
  // A write refused after its key is known keeps the refusal with the key.
  api.use(keepRefusals(pool));
  api.use(errorHandler(logger));
  app.use('/api', api);

  serveClient(app, config.clientDist, logger);
  app.use(errorHandler(logger));
  return app;
}

/** The built PWA on the same origin as the API, with the SPA's routes falling back to index.html. */
function serveClient(app: Express, dist: string, logger: Logger): void {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dist }, 'client build not found: run `pnpm build` to serve the app');
    return;
  }
  app.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => {
        // Hashed assets never change; everything else (index.html, sw.js, manifest) must be revalidated.
        if (file.includes(`${path.sep}assets${path.sep}`)) {
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        } else {
          res.setHeader('Cache-Control', 'no-cache');
        }
      },
    }),
  );
  app.get('/{*path}', (req, res, next) => {
    if (!req.accepts('html') || path.extname(req.path) !== '') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
