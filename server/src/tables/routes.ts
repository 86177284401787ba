import { ClearTableRequest, TableInput, TablePatch } from '@chit/shared';
import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { requireRole } from '../http/auth.js';
import { pathId } from '../http/validate.js';
import { writeRoutes } from '../http/write-route.js';
import { clearTable, createTable, listTables, removeTable, tableNotFound, updateTable } from './store.js';

export function tableRoutes(deps: AppDeps): Router {
  const router = Router();
  const { write, editable } = writeRoutes(deps);
  router.get('/tables', async (_req, res) => {
    res.json({ tables: await listTables(deps.pool) });
  });

  const tableId = pathId('tableId', tableNotFound);
  editable(router, requireRole('manager'), '/tables', tableId, 'table', {
    create: [TableInput, createTable, 'The table'],
    update: [TablePatch, updateTable],
    remove: removeTable,
  });

  // The waiter's "Clear table" when the party leaves (also sent later by an offline tablet).
  router.post(
    '/tables/:tableId/clear',
    requireRole('waiter'),
    write(
      { id: tableId, body: ClearTableRequest, what: 'The clear', optional: true },
      async (client, _input, actor, id) => ({ cleared: await clearTable(client, id, actor, deps.clock.now()) }),
    ),
  );
  return router;
}
