import type { MenuResponse, TablesResponse } from '@chit/shared';
import {
  CategoryOrderResponse,
  CategoryResponse,
  Device,
  DevicesResponse,
  MenuItem,
  MenuItemOrderResponse,
  PairingCode,
  PairingCodeResponse,
  PairingCodesResponse,
  RemovalResponse,
  TableResponse,
  ReportOrdersPage,
  ReportVoidsPage,
  TodayReport,
  type CategoryInput,
  type CategoryOrderInput,
  type CategoryPatch,
  type CreatePairingCodeRequest,
  type MenuItemInput,
  type MenuItemOrderInput,
  type MenuItemPatch,
  type RemoveRequest,
  type ReportPageQuery,
  type ReportQuery,
  type TableInput,
  type TablePatch,
} from '@chit/shared';
import { z } from 'zod';
import type { AnswerSchema, Api, ApiResult } from './api.js';

/** The requests an online screen may make: no token, no outbox, just reads and keyed writes. */
export type OnlineRequests = Pick<Api, 'read' | 'write' | 'menu' | 'tables'>;

/** `{ item }`: the answer of every menu item and modifier group write. */
export const MenuItemResponse = z.object({ item: MenuItem });
export type MenuItemResponse = z.infer<typeof MenuItemResponse>;

/** `{ device }`: the answer of a revocation. */
export const DeviceResponse = z.object({ device: Device });
export type DeviceResponse = z.infer<typeof DeviceResponse>;

/**
 * A list the manager edits entry by entry: POST to the list creates one; PATCH and DELETE
 * at `<list>/<id>` change and remove one (the removal says whether it deleted or archived).
 */
export interface Collection<Input, Patch, Answer> {
  create(body: Input, key: string): Promise<ApiResult<Answer>>;
  update(id: string, body: Patch, key: string): Promise<ApiResult<Answer>>;
  remove(id: string, body: RemoveRequest, key: string): Promise<ApiResult<RemovalResponse>>;
}

function collection<Input, Patch, Answer>(
  api: OnlineRequests,
  path: string,
  answer: AnswerSchema<Answer>,
): Collection<Input, Patch, Answer> {
  const entry = (id: string) => `${path}/${encodeURIComponent(id)}`;
  return {
    create: (body, key) => api.write('POST', path, body, key, answer),
    update: (id, body, key) => api.write('PATCH', entry(id), body, key, answer),
    remove: (id, body, key) => api.write('DELETE', entry(id), body, key, RemovalResponse),
  };
}

/**
 * The manager console's routes (docs/manager-api.md), typed. Online operations: the caller
 * gives each user action its Idempotency-Key. Kept out of api.ts so the waiter's first
 * download does not carry them; requests still go through Api, the one place calling fetch.
 */
export class ManagerApi {
  readonly categories: Collection<CategoryInput, CategoryPatch, CategoryResponse>;
  readonly menuItems: Collection<MenuItemInput, MenuItemPatch, MenuItemResponse>;
  /** `diningTables`, as in db/schema.ts: `tables()` reads them. */
  readonly diningTables: Collection<TableInput, TablePatch, TableResponse>;

  constructor(readonly api: OnlineRequests) {
    this.categories = collection(api, '/api/menu/categories', CategoryResponse);
    this.menuItems = collection(api, '/api/menu/items', MenuItemResponse);
    this.diningTables = collection(api, '/api/tables', TableResponse);
  }

  menu(): Promise<ApiResult<MenuResponse>> {
    return this.api.menu();
  }

  tables(): Promise<ApiResult<TablesResponse>> {
    return this.api.tables();
  }

  /** Every category, in the order the waiter's menu shows them. */
  reorderCategories(body: CategoryOrderInput, key: string): Promise<ApiResult<CategoryOrderResponse>> {
    return this.api.write('POST', '/api/menu/category-order', body, key, CategoryOrderResponse);
  }

  /** Every dish of a category, in order. */
  reorderMenuItems(
    categoryId: string,
    body: MenuItemOrderInput,
    key: string,
  ): Promise<ApiResult<MenuItemOrderResponse>> {
    const path = `/api/menu/categories/${encodeURIComponent(categoryId)}/item-order`;
    return this.api.write('POST', path, body, key, MenuItemOrderResponse);
  }

  devices(): Promise<ApiResult<DevicesResponse>> {
    return this.api.read('/api/devices', DevicesResponse);
  }

  createPairingCode(body: CreatePairingCodeRequest, key: string): Promise<ApiResult<PairingCode>> {
    return this.api.write('POST', '/api/pairing-codes', body, key, PairingCode);
  }

  pairingCodes(): Promise<ApiResult<PairingCodesResponse>> {
    return this.api.read('/api/pairing-codes', PairingCodesResponse);
  }

  cancelPairingCode(id: string, body: RemoveRequest, key: string): Promise<ApiResult<PairingCodeResponse>> {
    return this.api.write('DELETE', `/api/pairing-codes/${encodeURIComponent(id)}`, body, key, PairingCodeResponse);
  }

  revokeDevice(id: string, body: RemoveRequest, key: string): Promise<ApiResult<DeviceResponse>> {
    return this.api.write('DELETE', `/api/devices/${encodeURIComponent(id)}`, body, key, DeviceResponse);
  }

  todayReport(query: ReportQuery = {}): Promise<ApiResult<TodayReport>> {
    return this.api.read(`/api/reports/today${reportSearch(query)}`, TodayReport);
  }

  /** The next page of a report's orders (`after`: the report's `nextOrders`, then each page's `next`). */
  reportOrders(query: ReportPageQuery): Promise<ApiResult<ReportOrdersPage>> {
    return this.api.read(`/api/reports/orders${reportSearch(query)}`, ReportOrdersPage);
  }

  reportVoids(query: ReportPageQuery): Promise<ApiResult<ReportVoidsPage>> {
    return this.api.read(`/api/reports/voids${reportSearch(query)}`, ReportVoidsPage);
  }
}

function reportSearch(query: ReportPageQuery): string {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.after) params.set('after', query.after);
  return params.size > 0 ? `?${params.toString()}` : '';
}
