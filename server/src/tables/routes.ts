import { Router } from 'express';
import type { AppDeps } from '../app.js';
import { listTables } from './store.js';

export function tableRoutes({ pool }: AppDeps): Router {
  const router = Router();
  router.get('/tables', async (_req, res) => {
    res.json({ tables: await listTables(pool) });
  });
  return router;
}
