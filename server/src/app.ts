import { existsSync } from 'node:fs';
import path from 'node:path';
import { eventStream, headers, limits } from '@chit/shared';
import compression from 'compression';
import express, { type Express } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './deps.js';
import { deviceRoutes, pairingRoutes } from './devices/routes.js';
import { docsRoutes } from './docs/routes.js';
import { eventRoutes } from './events/routes.js';
import { authenticate } from './http/auth.js';
import { refuseDeepJson } from './http/body.js';
import { errorHandler, HttpError, notFoundHandler } from './http/errors.js';
import { keepRefusals } from './http/answers.js';
import { requireIdempotencyKey } from './http/idempotency-key.js';
import { isWrite } from './http/methods.js';
import { rateLimit } from './http/rate-limit.js';
import { securityHeaders } from './http/security.js';
import { requestTimeout } from './http/timeout.js';
import type { Logger } from './logger.js';
import { createMetrics, requestMetrics } from './metrics/metrics.js';
import { menuEditRoutes } from './menu/edit-routes.js';
import { menuRoutes } from './menu/routes.js';
import { orderRoutes } from './orders/routes.js';
import { reportRoutes } from './reports/routes.js';
import { tableRoutes } from './tables/routes.js';

/** Whether a query parameter's name, once decoded, names the token (`access%5Ftoken`, `access_token[]`). */
function isTokenParam(rawName: string): boolean {
  let name = rawName.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: compare the name as it came.
  }
  return name.startsWith(eventStream.tokenParam);
}

/** The API's version in its OpenAPI document: the server package's. */
const apiVersion = '0.1.0';

/** The request as pino-http logs it, minus the token EventSource has to put in the URL, however it is spelt. */
function redactedRequest(req: { url?: string; query?: unknown }) {
  const url = req.url;
  const start = url?.indexOf('?') ?? -1;
  if (url !== undefined && start >= 0) {
    const hash = url.indexOf('#', start);
    const end = hash < 0 ? url.length : hash;
    const params = url
      .slice(start + 1, end)
      .split('&')
      .map((param) => {
        const eq = param.indexOf('=');
        const name = eq < 0 ? param : param.slice(0, eq);
        return isTokenParam(name) ? `${name}=[Redacted]` : param;
      });
    req.url = `${url.slice(0, start + 1)}${params.join('&')}${url.slice(end)}`;
  }
  if (typeof req.query === 'object' && req.query !== null) {
    const query: Record<string, unknown> = { ...req.query };
    for (const name of Object.keys(query)) if (isTokenParam(name)) query[name] = '[Redacted]';
    req.query = query;
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
  app.use(compressAnswers());

  const api = express.Router();
  api.use(requestMetrics(deps.metrics ?? createMetrics({ defaults: false }), '/api'));
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
  api.use(express.json({ limit: limits.maxBodyBytes, strict: true, verify: refuseDeepJson }));
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
  api.use(docsRoutes(apiVersion));
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
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/**
 * JSON answers (a busy table's items, the report, the open-orders snapshot) compressed once
 * they pass 1 KB. The event stream is left alone: compression would buffer its frames, and
 * a ticket must reach the kitchen the moment it is written. The built app's files are
 * compressed at build time (below), so this only compresses what the server generates.
 */
function compressAnswers() {
  return compression({
    threshold: 1024,
    filter: (req, res) => req.path !== '/api/events' && compression.filter(req, res),
  });
}

/** The built PWA on the same origin as the API, with the SPA's routes falling back to index.html. */
function serveClient(app: Express, dist: string, logger: Logger): void {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dist }, 'client build not found: run `pnpm build` to serve the app');
    return;
  }
  // Vite writes a .br and a .gz beside every text asset (client/vite.config.ts): a tablet on
  // a weak signal downloads the app at a fraction of its size, at no CPU cost here.
  const files = expressStaticGzip(dist, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: {
      index: false,
      // A conditional or range request the file cannot satisfy (412, 416) goes to the
      // error handler with its status, rather than on to the fallback below.
      fallthrough: false,
      setHeaders: (res, file) => {
        // Hashed assets never change; everything else (index.html, sw.js, manifest) must be revalidated.
        if (file.includes(`${path.sep}assets${path.sep}`)) {
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        } else {
          res.setHeader('Cache-Control', 'no-cache');
        }
      },
    },
  });
  // Paths with an extension are files (a missing one is a 404); the rest are the SPA's routes.
  app.use((req, res, next) => (path.extname(req.path) !== '' ? files(req, res, next) : next()));
  app.get('/{*path}', (req, res, next) => {
    if (!req.accepts('html') || path.extname(req.path) !== '') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
