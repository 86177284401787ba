import { SetAvailabilityRequest } from '@chit/shared';
import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { deviceOf, requireRole } from '../http/auth.js';
import { NotFound } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { parse, uuidParam } from '../http/validate.js';
import { getMenu, setAvailability } from './store.js';

export function menuRoutes({ pool, clock, config }: AppDeps): Router {
  const router = Router();
  router.get('/menu', async (_req, res) => {
    res.json(await getMenu(pool));
  });

  router.patch('/menu/items/:menuItemId/availability', requireRole('kitchen'), async (req, res) => {
    const notFound = () =>
      new NotFound('menu_item_not_found', `There is no menu item ${String(req.params.menuItemId)}.`);
    const menuItemId = uuidParam(req.params.menuItemId, notFound);
    const { available } = parse(SetAvailabilityRequest, req.body, 'The availability');
    const deviceId = deviceOf(req).id;
    await idempotent(pool, req, res, config.idempotencyWaitMs, async (client) => {
      const item = await setAvailability(client, menuItemId, available, deviceId, clock.now());
      if (!item) throw notFound();
      return { status: 200, body: { item } };
    });
  });
  return router;
}
