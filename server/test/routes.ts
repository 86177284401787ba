import { randomUUID } from 'node:crypto';
import {
  AllergyAckRequest,
  CategoryInput,
  ClearTableRequest,
  CategoryOrderInput,
  CategoryPatch,
  CreateOrderRequest,
  CreatePairingCodeRequest,
  MenuItemInput,
  MenuItemOrderInput,
  MenuItemPatch,
  ModifierGroupInput,
  ModifierGroupPatch,
  OpenOrdersQuery,
  PairRequest,
  PatchItemRequest,
  RemoveRequest,
  ReportPageQuery,
  ReportQuery,
  SetAvailabilityRequest,
  TableInput,
  TablePatch,
  VoidItemRequest,
  type Role,
} from '@chit/shared';
import type { Express } from 'express';
import type { z } from 'zod';
import { Api, type Fixtures } from './harness.js';

/**
 * Every route of the API, for the role matrix and the property tests. `routesOf(app)`
 * lists what the app really serves, and a test checks the two agree, so a new route
 * without a row here fails the suite.
 */
export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Express path under /api, e.g. `/tables/:tableId/items/:itemId`. */
  path: string;
  /** Who gets past the route's role check; 'public' needs no token. */
  roles: readonly Role[] | 'public' | 'any';
  /** The body schema, when the route reads one (valid bodies are filtered out of the fuzz). */
  body?: z.ZodType;
  /** DELETE bodies are optional: an absent body is read as `{}`. */
  bodyOptional?: boolean;
  query?: z.ZodType;
  /** Reads `If-Match`. */
  ifMatch?: boolean;
  /** Reads nothing a client sends (health, the API reference): answers whatever comes. */
  readsNothing?: boolean;
}

/** A manager's removal: DELETE, with who did it in an optional body. */
const removal = (path: string): RouteCase => ({
  method: 'DELETE',
  path,
  roles: ['manager'],
  body: RemoveRequest,
  bodyOptional: true,
});

export const routeCases: RouteCase[] = [
  { method: 'GET', path: '/health', roles: 'public', readsNothing: true },
  { method: 'GET', path: '/health/live', roles: 'public', readsNothing: true },
  { method: 'GET', path: '/health/ready', roles: 'public', readsNothing: true },
  // The API reference (docs/routes.ts): the document and its page.
  { method: 'GET', path: '/openapi.json', roles: 'public', readsNothing: true },
  { method: 'GET', path: '/docs', roles: 'public', readsNothing: true },
  { method: 'GET', path: '/docs/init.js', roles: 'public', readsNothing: true },
  { method: 'POST', path: '/pair', roles: 'public', body: PairRequest },
  { method: 'GET', path: '/me', roles: 'any' },
  { method: 'GET', path: '/menu', roles: 'any' },
  { method: 'POST', path: '/menu/categories', roles: ['manager'], body: CategoryInput },
  { method: 'PATCH', path: '/menu/categories/:categoryId', roles: ['manager'], body: CategoryPatch },
  removal('/menu/categories/:categoryId'),
  { method: 'POST', path: '/menu/category-order', roles: ['manager'], body: CategoryOrderInput },
  {
    method: 'POST',
    path: '/menu/categories/:categoryId/item-order',
    roles: ['manager'],
    body: MenuItemOrderInput,
  },
  { method: 'POST', path: '/menu/items', roles: ['manager'], body: MenuItemInput },
  { method: 'PATCH', path: '/menu/items/:menuItemId', roles: ['manager'], body: MenuItemPatch },
  removal('/menu/items/:menuItemId'),
  {
    method: 'PATCH',
    path: '/menu/items/:menuItemId/availability',
    roles: ['kitchen', 'manager'],
    body: SetAvailabilityRequest,
  },
  { method: 'POST', path: '/menu/items/:menuItemId/modifier-groups', roles: ['manager'], body: ModifierGroupInput },
  { method: 'PATCH', path: '/menu/modifier-groups/:groupId', roles: ['manager'], body: ModifierGroupPatch },
  removal('/menu/modifier-groups/:groupId'),
  { method: 'GET', path: '/tables', roles: 'any' },
  { method: 'POST', path: '/tables', roles: ['manager'], body: TableInput },
  { method: 'PATCH', path: '/tables/:tableId', roles: ['manager'], body: TablePatch },
  removal('/tables/:tableId'),
  { method: 'POST', path: '/tables/:tableId/clear', roles: ['waiter'], body: ClearTableRequest, bodyOptional: true },
  { method: 'POST', path: '/orders', roles: ['waiter'], body: CreateOrderRequest },
  { method: 'GET', path: '/tables/:tableId/items', roles: 'any' },
  { method: 'GET', path: '/orders/open', roles: 'any', query: OpenOrdersQuery },
  { method: 'GET', path: '/orders/:orderId', roles: 'any' },
  {
    method: 'POST',
    path: '/orders/:orderId/allergy-ack',
    roles: ['kitchen', 'manager'],
    body: AllergyAckRequest,
    bodyOptional: true,
  },
  ...['/tables/:tableId/items/:itemId', '/orders/:orderId/items/:itemId'].flatMap((path): RouteCase[] => [
    { method: 'GET', path, roles: 'any' },
    { method: 'PATCH', path, roles: ['waiter', 'kitchen'], body: PatchItemRequest, ifMatch: true },
    { method: 'DELETE', path, roles: ['waiter'], body: VoidItemRequest, bodyOptional: true, ifMatch: true },
  ]),
  { method: 'GET', path: '/devices', roles: ['manager'] },
  { method: 'POST', path: '/pairing-codes', roles: ['manager'], body: CreatePairingCodeRequest },
  removal('/devices/:deviceId'),
  { method: 'GET', path: '/pairing-codes', roles: ['manager'] },
  removal('/pairing-codes/:pairingCodeId'),
  { method: 'GET', path: '/reports/today', roles: ['manager'], query: ReportQuery },
  { method: 'GET', path: '/reports/orders', roles: ['manager'], query: ReportPageQuery },
  { method: 'GET', path: '/reports/voids', roles: ['manager'], query: ReportPageQuery },
];

/** Whether `role` passes the route's own role check (a manager passes every one). */
export function allows(route: RouteCase, role: Role | 'none'): boolean {
  if (route.roles === 'public') return true;
  if (role === 'none') return false;
  if (route.roles === 'any' || role === 'manager') return true;
  return route.roles.includes(role);
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * The method and path of every route the app serves under /api, read from Express's
 * router stacks (every router below /api is mounted without a path of its own).
 */
export function routesOf(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix || '/api');
      }
    }
  };
  // Express 5 keeps the app's router on `app.router`.
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}

/** Real ids for every path parameter, so a request reaches the route's handler. */
export interface RouteContext {
  tableId: string;
  orderId: string;
  itemId: string;
  categoryId: string;
  menuItemId: string;
  groupId: string;
  deviceId: string;
  pairingCodeId: string;
}

/**
 * Sets up rows the routes can point at: an order on table 9 with an item, a category, a
 * dish with a modifier group, a device to revoke and an open pairing code.
 */
export async function createRouteContext(manager: Api, waiter: Api, fx: Fixtures): Promise<RouteContext> {
  const order = fx.order(9);
  await waiter.post('/api/orders', order);
  const category = await manager.post('/api/menu/categories', { name: 'Fuzz' });
  const item = await manager.post('/api/menu/items', {
    categoryId: category.body.category.id,
    name: 'Fuzz dish',
    priceCents: 100,
    station: 'grill',
    modifierGroups: [{ name: 'Sauce', minChoices: 0, maxChoices: 1, options: [{ name: 'Mayo' }] }],
  });
  const spare = await manager.post('/api/pairing-codes', { role: 'waiter' });
  const paired = await new Api(manager.baseUrl).post('/api/pair', { code: spare.body.code, deviceName: 'Spare' });
  const open = await manager.post('/api/pairing-codes', { role: 'kitchen' });
  return {
    tableId: fx.table(9).id,
    orderId: order.id,
    itemId: order.items[0]!.id,
    categoryId: category.body.category.id,
    menuItemId: item.body.item.id,
    groupId: item.body.item.modifierGroups[0].id,
    deviceId: paired.body.device.id,
    pairingCodeId: open.body.id,
  };
}

export function fillPath(path: string, values: Partial<Record<string, string>>): string {
  return `/api${path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? randomUUID())}`;
}

export function paramsOf(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

/** A valid body per write route (for the fuzz: so that what it breaks is the only thing wrong). */
export function validBody(route: RouteCase, context: RouteContext): Record<string, unknown> | undefined {
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /pair': { code: 'AAAA-BBBB', deviceName: 'Fuzz' },
    'POST /menu/categories': { name: 'Soups' },
    'PATCH /menu/categories/:categoryId': { name: 'Soups' },
    'POST /menu/items': { categoryId: context.categoryId, name: 'Soup', priceCents: 500, station: 'cold' },
    'PATCH /menu/items/:menuItemId': { priceCents: 600 },
    'POST /menu/category-order': { categoryIds: [context.categoryId] },
    'POST /menu/categories/:categoryId/item-order': { menuItemIds: [context.menuItemId] },
    'POST /menu/items/:menuItemId/modifier-groups': {
      name: 'Bread',
      minChoices: 0,
      maxChoices: 1,
      options: [{ name: 'Yes' }],
    },
    'PATCH /menu/modifier-groups/:groupId': { name: 'Sauces' },
    'POST /tables': { number: 500 },
    'PATCH /tables/:tableId': { label: 'Window' },
    'POST /orders': {
      id: '6f0c7a8e-0000-4000-8000-000000000001',
      tableId: context.tableId,
      items: [{ id: '6f0c7a8e-0000-4000-8000-000000000002', menuItemId: context.menuItemId, quantity: 1 }],
    },
    'PATCH /tables/:tableId/items/:itemId': { note: 'fuzz' },
    'PATCH /orders/:orderId/items/:itemId': { note: 'fuzz' },
    'POST /pairing-codes': { role: 'waiter' },
  };
  if (route.method === 'GET') return undefined;
  return bodies[`${route.method} ${route.path}`] ?? {};
}
