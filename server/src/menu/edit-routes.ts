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
import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { requireRole } from '../http/auth.js';
import { pathId } from '../http/validate.js';
import { writeRoutes } from '../http/write-route.js';
import { createCategory, removeCategory, updateCategory } from './category-store.js';
import { categoryNotFound, groupNotFound, itemNotFound } from './edit-common.js';
import { createMenuItem, removeMenuItem, updateMenuItem } from './edit-store.js';
import { addModifierGroup, removeModifierGroup, updateModifierGroup } from './group-store.js';
import { reorderCategories, reorderMenuItems } from './reorder.js';

const categoryId = pathId('categoryId', categoryNotFound);
const menuItemId = pathId('menuItemId', itemNotFound);
const groupId = pathId('groupId', groupNotFound);

/** The manager's menu editor. Reading the menu is `GET /api/menu` (menu/routes.ts). */
export function menuEditRoutes(deps: AppDeps): Router {
  const router = Router();
  const { write, editable } = writeRoutes(deps);
  const now = () => deps.clock.now();
  // Per route, not router.use('/menu'): GET /api/menu and the kitchen's availability switch share the prefix.
  const manager = requireRole('manager');

  editable(router, manager, '/menu/categories', categoryId, 'category', {
    create: [CategoryInput, createCategory, 'The category'],
    update: [CategoryPatch, updateCategory],
    remove: removeCategory,
  });
  editable(router, manager, '/menu/items', menuItemId, 'item', {
    create: [MenuItemInput, createMenuItem, 'The menu item'],
    update: [MenuItemPatch, updateMenuItem],
    remove: removeMenuItem,
  });

  router.post(
    '/menu/category-order',
    manager,
    write({ body: CategoryOrderInput, what: 'The order of the categories' }, async (client, input, actor) => ({
      categories: await reorderCategories(client, input.categoryIds, actor),
    })),
  );
  router.post(
    '/menu/categories/:categoryId/item-order',
    manager,
    write(
      { id: categoryId, body: MenuItemOrderInput, what: 'The order of the dishes' },
      async (client, input, actor, id) => ({ items: await reorderMenuItems(client, id, input.menuItemIds, actor) }),
    ),
  );

  // A dish's modifier groups: each answer is the whole dish, as the menu shows it.
  router.post(
    '/menu/items/:menuItemId/modifier-groups',
    manager,
    write(
      { id: menuItemId, body: ModifierGroupInput, what: 'The modifier group', status: 201 },
      async (client, input, actor, id) => ({ item: await addModifierGroup(client, id, input, actor, now()) }),
    ),
  );
  router.patch(
    '/menu/modifier-groups/:groupId',
    manager,
    write({ id: groupId, body: ModifierGroupPatch, what: 'The change' }, async (client, patch, actor, id) => ({
      item: await updateModifierGroup(client, id, patch, actor, now()),
    })),
  );
  router.delete(
    '/menu/modifier-groups/:groupId',
    manager,
    write(
      { id: groupId, body: RemoveRequest, what: 'The removal', optional: true },
      async (client, _input, actor, id) => ({ item: await removeModifierGroup(client, id, actor, now()) }),
    ),
  );

  return router;
}
