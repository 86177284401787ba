import {
  CategoryInput,
  CategoryOrderInput,
  CategoryPatch,
  MenuItemOrderInput,
  MenuItemInput,
  MenuItemPatch,
  ModifierGroupInput,
  ModifierGroupPatch,
  RemoveRequest,
} from '@chit/shared';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.js';
import { actorOf, requireRole } from '../http/auth.js';
import { NotFound } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { parse, uuidParam } from '../http/validate.js';
import { createCategory, removeCategory, updateCategory } from './category-store.js';
import { createMenuItem, removeMenuItem, updateMenuItem } from './edit-store.js';
import { addModifierGroup, removeModifierGroup, updateModifierGroup } from './group-store.js';
import { reorderCategories, reorderMenuItems } from './reorder.js';

function param(req: Request, name: string, notFound: (value: string) => NotFound): string {
  return uuidParam(req.params[name], () => notFound(String(req.params[name])));
}
const categoryId = (req: Request) =>
  param(req, 'categoryId', (v) => new NotFound('category_not_found', `There is no category ${v}.`));
const menuItemId = (req: Request) =>
  param(req, 'menuItemId', (v) => new NotFound('menu_item_not_found', `There is no menu item ${v}.`));
const groupId = (req: Request) =>
  param(req, 'groupId', (v) => new NotFound('modifier_group_not_found', `There is no modifier group ${v}.`));

/** The manager's menu editor. Reading the menu is `GET /api/menu` (menu/routes.ts). */
export function menuEditRoutes({ pool, clock, config }: AppDeps): Router {
  const router = Router();
  const wait = config.idempotencyWaitMs;
  // Per route, not router.use('/menu'): GET /api/menu and the kitchen's availability switch share the prefix.
  const manager = requireRole('manager');

  router.post('/menu/categories', manager, async (req, res) => {
    const input = parse(CategoryInput, req.body, 'The category');
    await idempotent(pool, req, res, wait, async (client) => {
      const category = await createCategory(client, input, actorOf(req, input.staffName));
      return { status: 201, body: { category } };
    });
  });

  router.patch('/menu/categories/:categoryId', manager, async (req, res) => {
    const id = categoryId(req);
    const patch = parse(CategoryPatch, req.body, 'The change');
    await idempotent(pool, req, res, wait, async (client) => {
      const category = await updateCategory(client, id, patch, actorOf(req, patch.staffName), clock.now());
      return { status: 200, body: { category } };
    });
  });

  router.delete('/menu/categories/:categoryId', manager, async (req, res) => {
    const id = categoryId(req);
    const input = parse(RemoveRequest, req.body ?? {}, 'The removal');
    await idempotent(pool, req, res, wait, async (client) => {
      return { status: 200, body: await removeCategory(client, id, actorOf(req, input.staffName), clock.now()) };
    });
  });

  router.post('/menu/category-order', manager, async (req, res) => {
    const input = parse(CategoryOrderInput, req.body, 'The order of the categories');
    await idempotent(pool, req, res, wait, async (client) => {
      const categories = await reorderCategories(client, input.categoryIds, actorOf(req, input.staffName));
      return { status: 200, body: { categories } };
    });
  });

  router.post('/menu/categories/:categoryId/item-order', manager, async (req, res) => {
    const id = categoryId(req);
    const input = parse(MenuItemOrderInput, req.body, 'The order of the dishes');
    await idempotent(pool, req, res, wait, async (client) => {
      const items = await reorderMenuItems(client, id, input.menuItemIds, actorOf(req, input.staffName));
      return { status: 200, body: { items } };
    });
  });

  router.post('/menu/items', manager, async (req, res) => {
    const input = parse(MenuItemInput, req.body, 'The menu item');
    await idempotent(pool, req, res, wait, async (client) => {
      const item = await createMenuItem(client, input, actorOf(req, input.staffName));
      return { status: 201, body: { item } };
    });
  });

  router.patch('/menu/items/:menuItemId', manager, async (req, res) => {
    const id = menuItemId(req);
    const patch = parse(MenuItemPatch, req.body, 'The change');
    await idempotent(pool, req, res, wait, async (client) => {
      const item = await updateMenuItem(client, id, patch, actorOf(req, patch.staffName), clock.now());
      return { status: 200, body: { item } };
    });
  });

  router.delete('/menu/items/:menuItemId', manager, async (req, res) => {
    const id = menuItemId(req);
    const input = parse(RemoveRequest, req.body ?? {}, 'The removal');
    await idempotent(pool, req, res, wait, async (client) => {
      return { status: 200, body: await removeMenuItem(client, id, actorOf(req, input.staffName), clock.now()) };
    });
  });

  router.post('/menu/items/:menuItemId/modifier-groups', manager, async (req, res) => {
    const id = menuItemId(req);
    const input = parse(ModifierGroupInput, req.body, 'The modifier group');
    await idempotent(pool, req, res, wait, async (client) => {
      const item = await addModifierGroup(client, id, input, actorOf(req, input.staffName), clock.now());
      return { status: 201, body: { item } };
    });
  });

  router.patch('/menu/modifier-groups/:groupId', manager, async (req, res) => {
    const id = groupId(req);
    const patch = parse(ModifierGroupPatch, req.body, 'The change');
    await idempotent(pool, req, res, wait, async (client) => {
      const item = await updateModifierGroup(client, id, patch, actorOf(req, patch.staffName), clock.now());
      return { status: 200, body: { item } };
    });
  });

  router.delete('/menu/modifier-groups/:groupId', manager, async (req, res) => {
    const id = groupId(req);
    const input = parse(RemoveRequest, req.body ?? {}, 'The removal');
    await idempotent(pool, req, res, wait, async (client) => {
      const item = await removeModifierGroup(client, id, actorOf(req, input.staffName), clock.now());
      return { status: 200, body: { item } };
    });
  });

  return router;
}
