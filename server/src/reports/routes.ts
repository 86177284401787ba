import { ReportPageQuery, ReportQuery } from '@chit/shared';
import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { requireRole } from '../http/auth.js';
import { ValidationFailed } from '../http/errors.js';
import { parse } from '../http/validate.js';
import type { Pool } from '../db/pool.js';
import { buildReport, reportOrders, reportVoids, resolveRange, type Bound, type ReportRange } from './store.js';

const maxRangeDays = 93;

function bound(value: string | undefined): Bound | undefined {
  if (value === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { day: value } : { instant: value };
}

/** The period a report covers, refused when it ends before it starts or is too long. */
async function periodOf(
  pool: Pool,
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
  timezone: string,
): Promise<ReportRange> {
  const range = await resolveRange(pool, bound(query.from), bound(query.to), now, timezone);
  const span = Date.parse(range.to) - Date.parse(range.from);
  if (!(span > 0))
    throw new ValidationFailed('validation_failed', 'The report period must end after it starts (from < to).');
  if (span > maxRangeDays * 24 * 60 * 60_000) {
    throw new ValidationFailed('validation_failed', `A report can cover at most ${maxRangeDays} days.`);
  }
  return range;
}

export function reportRoutes({ pool, clock, config }: AppDeps): Router {
  const router = Router();
  router.get('/reports/today', requireRole('manager'), async (req, res) => {
    const query = parse(ReportQuery, req.query, 'The report period');
    res.json(await buildReport(pool, await periodOf(pool, query, clock.now(), config.timezone), config.timezone));
  });
  // The next pages of a report's detail, for the same `from` and `to`.
  router.get('/reports/orders', requireRole('manager'), async (req, res) => {
    const query = parse(ReportPageQuery, req.query, 'The report page');
    res.json(await reportOrders(pool, await periodOf(pool, query, clock.now(), config.timezone), query.after));
  });
  router.get('/reports/voids', requireRole('manager'), async (req, res) => {
    const query = parse(ReportPageQuery, req.query, 'The report page');
    res.json(await reportVoids(pool, await periodOf(pool, query, clock.now(), config.timezone), query.after));
  });
  return router;
}
