import { z } from 'zod';
import {
  CreatePairingCodeRequest,
  Device,
  DevicesResponse,
  MeResponse,
  PairingCode,
  PairingCodeResponse,
  PairingCodesResponse,
  PairRequest,
  PairResponse,
  type Role,
} from './devices.js';
import { ErrorBody } from './errors.js';
import { ChitEvent, eventStream } from './events.js';
import { HealthResponse, headers, limits } from './http.js';
import {
  CategoryInput,
  CategoryOrderInput,
  CategoryOrderResponse,
  CategoryPatch,
  CategoryResponse,
  MenuItemInput,
  MenuItemOrderInput,
  MenuItemOrderResponse,
  MenuItemPatch,
  ModifierGroupInput,
  ModifierGroupPatch,
  RemovalResponse,
  RemoveRequest,
} from './menu-edit.js';
import { MenuItemResponse, MenuResponse, SetAvailabilityRequest } from './menu.js';
import {
  CreateOrderRequest,
  CreateOrderResponse,
  ItemResponse,
  OpenOrdersQuery,
  OpenOrdersResponse,
  OrderResponse,
  PatchItemRequest,
  TableItemsResponse,
  VoidItemRequest,
} from './orders.js';
import { ReportOrdersPage, ReportPageQuery, ReportQuery, ReportVoidsPage, TodayReport } from './reports.js';
import {
  ClearTableRequest,
  ClearTableResponse,
  TableInput,
  TablePatch,
  TableResponse,
  TablesResponse,
} from './tables.js';

/**
 * The HTTP API as data: each route with the shared schemas of what it reads and answers.
 * The OpenAPI document (`GET /api/openapi.json`) is generated from it; nothing in it is a
 * copy of a schema. A server test checks that every route the app mounts is listed here
 * and that real answers validate against the document.
 */
export interface ApiRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path under /api, e.g. `/orders/:orderId`. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it: no token, any paired device, or these roles (a manager may do everything). */
  roles: 'public' | 'any' | readonly Role[];
  body?: z.ZodType;
  /** DELETE bodies may be left out. */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  ifMatch?: boolean;
  /** Success answers by status; errors are always an `ErrorBody`. */
  responses: Record<number, { description: string; schema: z.ZodType; contentType?: string }>;
}

const ok = (schema: z.ZodType, description = 'OK') => ({ 200: { description, schema } });
const created = (schema: z.ZodType, description = 'Created') => ({ 201: { description, schema } });
const manager = ['manager'] as const;

/** A manager's removal: DELETE with an optional `RemoveRequest` (who did it), answered with the outcome. */
const removal = (path: string, summary: string, tag: string): ApiRoute => ({
  method: 'delete',
  path,
  summary,
  tag,
  roles: manager,
  body: RemoveRequest,
  bodyOptional: true,
  responses: ok(RemovalResponse, 'Deleted, or archived when something refers to it'),
});

const itemRoutes = (base: string, tag: string): ApiRoute[] => [
  {
    method: 'get',
    path: base,
    summary: 'One item in full; ETag = its version',
    tag,
    roles: 'any',
    responses: ok(ItemResponse),
  },
  {
    method: 'patch',
    path: base,
    summary: 'Change quantity, note or status',
    tag,
    roles: ['waiter', 'kitchen'],
    body: PatchItemRequest,
    ifMatch: true,
    responses: ok(ItemResponse),
  },
  {
    method: 'delete',
    path: base,
    summary: 'Void the item (kept for billing and audit)',
    tag,
    roles: ['waiter'],
    body: VoidItemRequest,
    bodyOptional: true,
    ifMatch: true,
    responses: ok(ItemResponse),
  },
];

export const apiRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Whether the server and its database answer',
    tag: 'Server',
    roles: 'public',
    responses: ok(HealthResponse),
  },
  {
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: this process answers (restart it when not)',
    tag: 'Server',
    roles: 'public',
    responses: ok(HealthResponse),
  },
  {
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness: this instance can write to its database now (send it traffic only then)',
    tag: 'Server',
    roles: 'public',
    responses: {
      ...ok(HealthResponse, 'The database is writable'),
      503: { description: 'The database is read-only or cannot be reached', schema: HealthResponse },
    },
  },
  {
    method: 'post',
    path: '/pair',
    summary: 'Exchange a pairing code for a device token',
    tag: 'Devices',
    roles: 'public',
    body: PairRequest,
    responses: created(PairResponse, 'Paired'),
  },
  {
    method: 'get',
    path: '/me',
    summary: 'The device the token belongs to',
    tag: 'Devices',
    roles: 'any',
    responses: ok(MeResponse),
  },
  {
    method: 'get',
    path: '/devices',
    summary: 'Every device, with its health',
    tag: 'Devices',
    roles: manager,
    responses: ok(DevicesResponse),
  },
  {
    method: 'post',
    path: '/pairing-codes',
    summary: 'A pairing code (with QR link) for a new device',
    tag: 'Devices',
    roles: manager,
    body: CreatePairingCodeRequest,
    responses: created(PairingCode),
  },
  {
    method: 'get',
    path: '/pairing-codes',
    summary: 'Pairing codes not yet used, cancelled or expired (without the codes themselves)',
    tag: 'Devices',
    roles: manager,
    responses: ok(PairingCodesResponse),
  },
  {
    method: 'delete',
    path: '/pairing-codes/:pairingCodeId',
    summary: 'Cancel an open pairing code (409 pairing_code_used once a device paired with it)',
    tag: 'Devices',
    roles: manager,
    body: RemoveRequest,
    bodyOptional: true,
    responses: ok(PairingCodeResponse),
  },
  {
    method: 'delete',
    path: '/devices/:deviceId',
    summary: 'Revoke a device at once',
    tag: 'Devices',
    roles: manager,
    body: RemoveRequest,
    bodyOptional: true,
    responses: ok(z.object({ device: Device })),
  },
  {
    method: 'get',
    path: '/menu',
    summary: 'The menu with modifier groups',
    tag: 'Menu',
    roles: 'any',
    responses: ok(MenuResponse),
  },
  {
    method: 'patch',
    path: '/menu/items/:menuItemId/availability',
    summary: '86 a dish, or bring it back',
    tag: 'Menu',
    roles: ['kitchen'],
    body: SetAvailabilityRequest,
    responses: ok(MenuItemResponse),
  },
  {
    method: 'post',
    path: '/menu/categories',
    summary: 'Add a category',
    tag: 'Menu',
    roles: manager,
    body: CategoryInput,
    responses: created(CategoryResponse),
  },
  {
    method: 'patch',
    path: '/menu/categories/:categoryId',
    summary: 'Rename or move a category',
    tag: 'Menu',
    roles: manager,
    body: CategoryPatch,
    responses: ok(CategoryResponse),
  },
  {
    method: 'post',
    path: '/menu/category-order',
    summary: "Arrange the categories: every one, in the waiter's menu order (409 `menu_order_stale` if not all)",
    tag: 'Menu',
    roles: manager,
    body: CategoryOrderInput,
    responses: ok(CategoryOrderResponse),
  },
  {
    method: 'post',
    path: '/menu/categories/:categoryId/item-order',
    summary: "Arrange a category's dishes: every one, in order (409 `menu_order_stale` if not all)",
    tag: 'Menu',
    roles: manager,
    body: MenuItemOrderInput,
    responses: ok(MenuItemOrderResponse),
  },
  removal('/menu/categories/:categoryId', 'Remove a category', 'Menu'),
  {
    method: 'post',
    path: '/menu/items',
    summary: 'Add a dish',
    tag: 'Menu',
    roles: manager,
    body: MenuItemInput,
    responses: created(MenuItemResponse),
  },
  {
    method: 'patch',
    path: '/menu/items/:menuItemId',
    summary: 'Change a dish; with `modifierGroups`, its whole list of groups in the same transaction',
    tag: 'Menu',
    roles: manager,
    body: MenuItemPatch,
    responses: ok(MenuItemResponse),
  },
  removal('/menu/items/:menuItemId', 'Remove a dish (archived if it was ever ordered)', 'Menu'),
  {
    method: 'post',
    path: '/menu/items/:menuItemId/modifier-groups',
    summary: 'Add a modifier group to a dish',
    tag: 'Menu',
    roles: manager,
    body: ModifierGroupInput,
    responses: created(MenuItemResponse),
  },
  {
    method: 'patch',
    path: '/menu/modifier-groups/:groupId',
    summary: 'Change a modifier group',
    tag: 'Menu',
    roles: manager,
    body: ModifierGroupPatch,
    responses: ok(MenuItemResponse),
  },
  {
    method: 'delete',
    path: '/menu/modifier-groups/:groupId',
    summary: 'Remove a modifier group',
    tag: 'Menu',
    roles: manager,
    body: RemoveRequest,
    bodyOptional: true,
    responses: ok(MenuItemResponse),
  },
  { method: 'get', path: '/tables', summary: 'The tables', tag: 'Tables', roles: 'any', responses: ok(TablesResponse) },
  {
    method: 'post',
    path: '/tables',
    summary: 'Add a table',
    tag: 'Tables',
    roles: manager,
    body: TableInput,
    responses: created(TableResponse),
  },
  {
    method: 'patch',
    path: '/tables/:tableId',
    summary: 'Change a table',
    tag: 'Tables',
    roles: manager,
    body: TablePatch,
    responses: ok(TableResponse),
  },
  removal('/tables/:tableId', 'Remove a table', 'Tables'),
  {
    method: 'post',
    path: '/orders',
    summary: 'Place an order (ids made by the tablet)',
    tag: 'Orders',
    roles: ['waiter'],
    body: CreateOrderRequest,
    responses: created(CreateOrderResponse),
  },
  {
    method: 'get',
    path: '/orders/open',
    summary: "The kitchen's working set and the event position it was read at",
    tag: 'Orders',
    roles: 'any',
    query: OpenOrdersQuery,
    responses: ok(OpenOrdersResponse),
  },
  {
    method: 'get',
    path: '/orders/:orderId',
    summary: 'One order with every item',
    tag: 'Orders',
    roles: 'any',
    responses: ok(OrderResponse),
  },
  {
    method: 'get',
    path: '/tables/:tableId/items',
    summary: "The current party's items: not served yet, or served since the table was last cleared",
    tag: 'Orders',
    roles: 'any',
    responses: ok(TableItemsResponse),
  },
  {
    method: 'post',
    path: '/tables/:tableId/clear',
    summary: 'Clear the table when the party leaves: its served items leave its list (orders keep them)',
    tag: 'Tables',
    roles: ['waiter'],
    body: ClearTableRequest,
    bodyOptional: true,
    responses: ok(ClearTableResponse),
  },
  ...itemRoutes('/tables/:tableId/items/:itemId', 'Orders'),
  ...itemRoutes('/orders/:orderId/items/:itemId', 'Orders'),
  {
    method: 'get',
    path: '/events',
    summary: `Server-Sent Events of every change, resumable with Last-Event-ID (token also as ?${eventStream.tokenParam}=)`,
    tag: 'Events',
    roles: 'any',
    responses: {
      200: {
        description: "A text/event-stream; each message's data is one event",
        schema: ChitEvent,
        contentType: 'text/event-stream',
      },
    },
  },
  {
    method: 'get',
    path: '/reports/today',
    summary: "Today's totals, voids and cook times",
    tag: 'Reports',
    roles: manager,
    query: ReportQuery,
    responses: ok(TodayReport),
  },
  {
    method: 'get',
    path: '/reports/orders',
    summary: "The next page of a period's orders (give back the report's `nextOrders` as `after`)",
    tag: 'Reports',
    roles: manager,
    query: ReportPageQuery,
    responses: ok(ReportOrdersPage),
  },
  {
    method: 'get',
    path: '/reports/voids',
    summary: "The next page of a period's voids (give back the report's `nextVoids` as `after`)",
    tag: 'Reports',
    roles: manager,
    query: ReportPageQuery,
    responses: ok(ReportVoidsPage),
  },
];

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Transforms (a pairing code's normalisation) have no JSON Schema: described by their input.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/**
 * What the app says about itself on every request, for the manager's Devices page
 * (docs/operations.md#device-health). Optional, and a malformed value is ignored, never refused.
 */
const deviceHeaders = [
  {
    name: headers.appVersion,
    in: 'header',
    required: false,
    description:
      'The app build making the request, `<version>+<build time>.<commit>` (e.g. `0.1.0+20261130T190337Z.c7d3d31`); ' +
      '`GET /api/devices` compares it with `currentAppVersion`.',
    schema: { type: 'string', maxLength: limits.maxAppVersionLength },
  },
  {
    name: headers.outboxLength,
    in: 'header',
    required: false,
    description: 'Writes the device holds unsent (refused ones included).',
    schema: { type: 'string', pattern: '^\\d{1,9}$' },
  },
  {
    name: headers.outboxOldestAge,
    in: 'header',
    required: false,
    description: 'Whole seconds the oldest of them has waited (0 when there is none).',
    schema: { type: 'string', pattern: '^\\d{1,9}$' },
  },
];

const toOpenApiPath = (path: string) => `/api${path.replace(/:(\w+)/g, '{$1}')}`;

function who(roles: ApiRoute['roles']): string {
  if (roles === 'public') return 'No token needed.';
  if (roles === 'any') return 'Any paired device.';
  return `Devices with role ${[...roles, ...(roles.includes('manager') ? [] : ['manager'])].join(' or ')}.`;
}

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(info: { version: string; serverUrl?: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    const parameters: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query) {
      const query = jsonSchema(route.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    if (route.method !== 'get') {
      parameters.push({
        name: headers.idempotencyKey,
        in: 'header',
        required: route.path !== '/pair',
        description: 'Unique per write; a retry with the same key gets the first answer again.',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    if (route.roles !== 'public') parameters.push(...deviceHeaders);
    if (route.ifMatch) {
      parameters.push({
        name: headers.ifMatch,
        in: 'header',
        required: false,
        description: "The item's ETag: the write is refused (412) if the item changed since.",
        schema: { type: 'string' },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(route.responses)) {
      responses[status] = {
        description: answer.description,
        content: { [answer.contentType ?? 'application/json']: { schema: jsonSchema(answer.schema, 'output') } },
      };
    }
    responses.default = {
      description: 'An error: the code is one of shared/src/errors.ts, the message is for a person',
      content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } },
    };
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = {
      operationId: `${route.method}${route.path.replace(/[/:-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      description: who(route.roles),
      tags: [route.tag],
      ...(route.roles === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chit API',
      version: info.version,
      description:
        'The HTTP API of Chit, an offline-first restaurant ordering system. Generated from the zod schemas in shared/.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    components: {
      securitySchemes: { device: { type: 'http', scheme: 'bearer', description: 'The device token from pairing.' } },
    },
    security: [{ device: [] }],
    paths,
  };
}
