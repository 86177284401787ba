import {
  AllergyAckRequest,
  CreateOrderRequest,
  headers,
  OpenOrdersQuery,
  PatchItemRequest,
  VoidItemRequest,
} from '@chit/shared';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.js';
import { actorOf, requireRole } from '../http/auth.js';
import { NotFound, ValidationFailed } from '../http/errors.js';
import { idempotent, idempotentStatement } from '../http/idempotency.js';
import { parse, uuidParam } from '../http/validate.js';
import { tableExists } from '../tables/store.js';
import { businessDay, minutesOfDay } from './business-day.js';
import { CatalogCache } from './catalog.js';
import { orderInsert } from './insert.js';
import { prepareOrder } from './prepare.js';
import {
  acknowledgeAllergy,
  getItem,
  getOrder,
  listOpenOrders,
  listTableItems,
  patchItem,
  voidItem,
  type ItemScope,
} from './store.js';

function tableIdOf(req: Request): string {
  return uuidParam(
    req.params.tableId,
    () => new NotFound('table_not_found', `There is no table ${String(req.params.tableId)}.`),
  );
}

function orderIdOf(req: Request): string {
  return uuidParam(
    req.params.orderId,
    () => new NotFound('order_not_found', `There is no order ${String(req.params.orderId)}.`),
  );
}

/** Items are reached through their table (dine-in) or through their order (every type). */
function scopeOf(req: Request): ItemScope {
  return req.params.tableId !== undefined ? { tableId: tableIdOf(req) } : { orderId: orderIdOf(req) };
}

function itemIdOf(req: Request): string {
  return uuidParam(
    req.params.itemId,
    () => new NotFound('item_not_found', `There is no item ${String(req.params.itemId)}.`),
  );
}

/** `If-Match: "3"` (or 3, or W/"3") → 3; absent → undefined. */
function expectedVersion(req: Request): number | undefined {
  const raw = req.get(headers.ifMatch);
  if (raw === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!match) {
    throw new ValidationFailed('validation_failed', `${headers.ifMatch} must be the item's version, e.g. "3".`);
  }
  return Number(match[1]);
}

export function orderRoutes({ pool, clock, random, config }: AppDeps): Router {
  const router = Router();
  const wait = config.idempotencyWaitMs;
  const catalogCache = new CatalogCache(pool);
  const dayStart = minutesOfDay(config.businessDayStart);

  router.post('/orders', requireRole('waiter'), async (req, res) => {
    const input = parse(CreateOrderRequest, req.body, 'The order');
    const actor = actorOf(req, input.staffName);
    await idempotentStatement(pool, req, res, async () => {
      const { result: order, catalog } = await catalogCache.check((c) => prepareOrder(c, input, actor, clock, random));
      const day = businessDay(new Date(order.createdAt), config.timezone, dayStart);
      return {
        status: 201,
        body: { order },
        ...orderInsert(order, catalog, day),
        stale: () => catalogCache.drop(catalog),
      };
    });
  });

  // A cook has read the allergy banner; the board asks for this before the ticket's first bump.
  router.post('/orders/:orderId/allergy-ack', requireRole('kitchen'), async (req, res) => {
    const orderId = orderIdOf(req);
    const input = parse(AllergyAckRequest, req.body ?? {}, 'The acknowledgement');
    await idempotent(pool, req, res, wait, async (client) => ({
      status: 200,
      body: await acknowledgeAllergy(client, orderId, actorOf(req, input.staffName), clock),
    }));
  });

  router.get('/orders/open', async (req, res) => {
    const query = parse(OpenOrdersQuery, req.query, 'The query');
    res.json(await listOpenOrders(pool, query.station, query.voidedWithinMinutes, clock.now()));
  });

  router.get('/tables/:tableId/items', async (req, res) => {
    const tableId = tableIdOf(req);
    const [exists, items] = await Promise.all([tableExists(pool, tableId), listTableItems(pool, tableId)]);
    if (!exists) throw new NotFound('table_not_found', `There is no table ${tableId}.`);
    res.json({ items });
  });

  router.get('/orders/:orderId', async (req, res) => {
    const orderId = orderIdOf(req);
    const order = await getOrder(pool, orderId);
    if (!order) throw new NotFound('order_not_found', `There is no order ${orderId}.`);
    res.json({ order });
  });

  // The same three item routes under a table and under an order: takeaway and delivery
  // orders have no table, and a dine-in item may be reached either way.
  for (const base of ['/tables/:tableId/items/:itemId', '/orders/:orderId/items/:itemId']) {
    router.get(base, async (req, res) => {
      const item = await getItem(pool, scopeOf(req), itemIdOf(req));
      res.setHeader('ETag', `"${item.version}"`);
      res.json({ item });
    });

    router.patch(base, requireRole('waiter', 'kitchen'), async (req, res) => {
      const scope = scopeOf(req);
      const itemId = itemIdOf(req);
      const patch = parse(PatchItemRequest, req.body, 'The change');
      const version = expectedVersion(req);
      await idempotent(pool, req, res, wait, async (client) => {
        const item = await patchItem(client, scope, itemId, patch, version, actorOf(req, patch.staffName), clock);
        return { status: 200, body: { item } };
      });
    });

    router.delete(base, requireRole('waiter'), async (req, res) => {
      const scope = scopeOf(req);
      const itemId = itemIdOf(req);
      const input = parse(VoidItemRequest, req.body ?? {}, 'The void');
      const version = expectedVersion(req);
      await idempotent(pool, req, res, wait, async (client) => {
        const item = await voidItem(client, scope, itemId, input.reason, version, actorOf(req, input.staffName), clock);
        return { status: 200, body: { item } };
      });
    });
  }

  return router;
}
