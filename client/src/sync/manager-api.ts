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
  type ModifierGroupInput,
  type ModifierGroupPatch,
  type RemoveRequest,
  type ReportPageQuery,
  type ReportQuery,
  type TableInput,
  type TablePatch,
} from '@chit/shared';
import { z } from 'zod';
import type { Api, ApiResult } from './api.js';

/** The requests an online screen may make: no token, no outbox, just reads and keyed writes. */
export type OnlineRequests = Pick<Api, 'read' | 'write' | 'menu' | 'tables'>;

/** `{ item }`: the answer of every menu item and modifier group write. */
export const MenuItemResponse = z.object({ item: MenuItem });
export type MenuItemResponse = z.infer<typeof MenuItemResponse>;

/** `{ device }`: the answer of a revocation. */
export const DeviceResponse = z.object({ device: Device });
export type DeviceResponse = z.infer<typeof DeviceResponse>;

/**
 * The manager console's routes (docs/manager-api.md), typed. Online operations: the caller
 * gives each user action its Idempotency-Key. Kept out of api.ts so the waiter's first
 * download does not carry them; requests still go through Api, the one place calling fetch.
 */
export class ManagerApi {
  constructor(readonly api: OnlineRequests) {}

  menu(): Promise<ApiResult<MenuResponse>> {
    return this.api.menu();
  }

  tables(): Promise<ApiResult<TablesResponse>> {
    return this.api.tables();
  }

  createCategory(body: CategoryInput, key: string): Promise<ApiResult<CategoryResponse>> {
    return this.api.write('POST', '/api/menu/categories', body, key, CategoryResponse);
  }

  updateCategory(id: string, body: CategoryPatch, key: string): Promise<ApiResult<CategoryResponse>> {
    return this.api.write('PATCH', `/api/menu/categories/${encodeURIComponent(id)}`, body, key, CategoryResponse);
  }

  removeCategory(id: string, body: RemoveRequest, key: string): Promise<ApiResult<RemovalResponse>> {
    return this.api.write('DELETE', `/api/menu/categories/${encodeURIComponent(id)}`, body, key, RemovalResponse);
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

  createMenuItem(body: MenuItemInput, key: string): Promise<ApiResult<MenuItemResponse>> {
    return this.api.write('POST', '/api/menu/items', body, key, MenuItemResponse);
  }

  updateMenuItem(id: string, body: MenuItemPatch, key: string): Promise<ApiResult<MenuItemResponse>> {
    return this.api.write('PATCH', `/api/menu/items/${encodeURIComponent(id)}`, body, key, MenuItemResponse);
  }

  removeMenuItem(id: string, body: RemoveRequest, key: string): Promise<ApiResult<RemovalResponse>> {
    return this.api.write('DELETE', `/api/menu/items/${encodeURIComponent(id)}`, body, key, RemovalResponse);
  }

  addModifierGroup(itemId: string, body: ModifierGroupInput, key: string): Promise<ApiResult<MenuItemResponse>> {
    const path = `/api/menu/items/${encodeURIComponent(itemId)}/modifier-groups`;
    return this.api.write('POST', path, body, key, MenuItemResponse);
  }

  updateModifierGroup(id: string, body: ModifierGroupPatch, key: string): Promise<ApiResult<MenuItemResponse>> {
    return this.api.write('PATCH', `/api/menu/modifier-groups/${encodeURIComponent(id)}`, body, key, MenuItemResponse);
  }

  removeModifierGroup(id: string, body: RemoveRequest, key: string): Promise<ApiResult<MenuItemResponse>> {
    return this.api.write('DELETE', `/api/menu/modifier-groups/${encodeURIComponent(id)}`, body, key, MenuItemResponse);
  }

  createTable(body: TableInput, key: string): Promise<ApiResult<TableResponse>> {
    return this.api.write('POST', '/api/tables', body, key, TableResponse);
  }

  updateTable(id: string, body: TablePatch, key: string): Promise<ApiResult<TableResponse>> {
    return this.api.write('PATCH', `/api/tables/${encodeURIComponent(id)}`, body, key, TableResponse);
  }

  removeTable(id: string, body: RemoveRequest, key: string): Promise<ApiResult<RemovalResponse>> {
    return this.api.write('DELETE', `/api/tables/${encodeURIComponent(id)}`, body, key, RemovalResponse);
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
