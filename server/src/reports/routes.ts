import { ReportQuery } from '@chit/shared';
import { Router } from 'express';
import type { AppDeps } from '../app.js';
import { requireRole } from '../http/auth.js';
import { ValidationFailed } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { buildReport, resolveRange, type Bound } from './store.js';

const maxRangeDays = 93;

function bound(value: string | undefined): Bound | undefined {
  if (value === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { day: value } : { instant: value };
}

export function reportRoutes({ pool, clock, config }: AppDeps): Router {
  const router = Router();
  router.get('/reports/today', requireRole('manager'), async (req, res) => {
    const query = parse(ReportQuery, req.query, 'The report period');
    const range = await resolveRange(pool, bound(query.from), bound(query.to), clock.now(), config.timezone);
    const span = Date.parse(range.to) - Date.parse(range.from);
    if (!(span > 0)) throw new ValidationFailed('The report period must end after it starts (from < to).');
    if (span > maxRangeDays * 24 * 60 * 60_000) {
      throw new ValidationFailed(`A report can cover at most ${maxRangeDays} days.`);
    }
    res.json(await buildReport(pool, range, config.timezone));
  });
  return router;
}
