import { ClearTableRequest, RemoveRequest, TableInput, TablePatch } from '@chit/shared';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.js';
import { actorOf, requireRole } from '../http/auth.js';
import { NotFound } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { parse, uuidParam } from '../http/validate.js';
import { clearTable, createTable, listTables, removeTable, updateTable } from './store.js';

function tableIdOf(req: Request): string {
  return uuidParam(
    req.params.tableId,
    () => new NotFound('table_not_found', `There is no table ${String(req.params.tableId)}.`),
  );
}

export function tableRoutes({ pool, clock, config }: AppDeps): Router {
  const router = Router();
  const wait = config.idempotencyWaitMs;
  router.get('/tables', async (_req, res) => {
    res.json({ tables: await listTables(pool) });
  });

  router.post('/tables', requireRole('manager'), async (req, res) => {
    const input = parse(TableInput, req.body, 'The table');
    await idempotent(pool, req, res, wait, async (client) => {
      const table = await createTable(client, input, actorOf(req, input.staffName));
      return { status: 201, body: { table } };
    });
  });

  router.patch('/tables/:tableId', requireRole('manager'), async (req, res) => {
    const id = tableIdOf(req);
    const patch = parse(TablePatch, req.body, 'The change');
    await idempotent(pool, req, res, wait, async (client) => {
      const actor = actorOf(req, patch.staffName);
      return { status: 200, body: { table: await updateTable(client, id, patch, actor, clock.now()) } };
    });
  });

  router.delete('/tables/:tableId', requireRole('manager'), async (req, res) => {
    const id = tableIdOf(req);
    const input = parse(RemoveRequest, req.body ?? {}, 'The removal');
    await idempotent(pool, req, res, wait, async (client) => {
      const actor = actorOf(req, input.staffName);
      return { status: 200, body: await removeTable(client, id, actor, clock.now()) };
    });
  });

  // The waiter's "Clear table" when the party leaves (also sent later by an offline tablet).
  router.post('/tables/:tableId/clear', requireRole('waiter'), async (req, res) => {
    const id = tableIdOf(req);
    const input = parse(ClearTableRequest, req.body ?? {}, 'The clear');
    await idempotent(pool, req, res, wait, async (client) => {
      const actor = actorOf(req, input.staffName);
      return { status: 200, body: { cleared: await clearTable(client, id, actor, clock.now()) } };
    });
  });
  return router;
}
