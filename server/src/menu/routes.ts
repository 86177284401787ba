import { Router } from 'express';
import type { AppDeps } from '../app.js';
import { getMenu } from './store.js';

export function menuRoutes({ pool }: AppDeps): Router {
  const router = Router();
  router.get('/menu', async (_req, res) => {
    res.json(await getMenu(pool));
  });
  return router;
}
