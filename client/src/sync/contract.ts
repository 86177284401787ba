import type * as Shared from '@chit/shared';
import type { z } from 'zod';

// The schemas the sync layer checks answers and events with, loaded on first use. zod and
// the contract are a third of the app's JavaScript, and the first screen paints from
// IndexedDB without them: they arrive with (or before) the first answer, from the service
// worker's precache when offline. main.tsx starts the load as soon as the first screen is up.

type Contract = typeof Shared;

let loading: Promise<Contract> | null = null;

/** The shared schemas; a failed load (a chunk the browser could not fetch) is tried again next time. */
export function loadContract(): Promise<Contract> {
  loading ??= import('@chit/shared').catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

/**
 * A shared schema that loads on first use. Its checks are async; they reject (never answer
 * "invalid") when the schemas cannot be loaded, so a caller treats that as no answer yet.
 */
export interface LazySchema<T> {
  safeParse(data: unknown): Promise<z.ZodSafeParseResult<T>>;
}

function lazy<T>(pick: (contract: Contract) => z.ZodType<T>): LazySchema<T> {
  return {
    safeParse: async (data) => pick(await loadContract()).safeParse(data),
  };
}

// Each with its type under the same name, as in @chit/shared.
export const ErrorBody = lazy((c) => c.ErrorBody);
export type ErrorBody = Shared.ErrorBody;
export const PairResponse = lazy((c) => c.PairResponse);
export type PairResponse = Shared.PairResponse;
export const MeResponse = lazy((c) => c.MeResponse);
export type MeResponse = Shared.MeResponse;
export const MenuResponse = lazy((c) => c.MenuResponse);
export type MenuResponse = Shared.MenuResponse;
export const TablesResponse = lazy((c) => c.TablesResponse);
export type TablesResponse = Shared.TablesResponse;
export const OpenOrdersResponse = lazy((c) => c.OpenOrdersResponse);
export type OpenOrdersResponse = Shared.OpenOrdersResponse;
export const OrderResponse = lazy((c) => c.OrderResponse);
export type OrderResponse = Shared.OrderResponse;
export const TableItemsResponse = lazy((c) => c.TableItemsResponse);
export type TableItemsResponse = Shared.TableItemsResponse;
export const CreateOrderResponse = lazy((c) => c.CreateOrderResponse);
export type CreateOrderResponse = Shared.CreateOrderResponse;
export const ItemResponse = lazy((c) => c.ItemResponse);
export type ItemResponse = Shared.ItemResponse;
export const MenuItemResponse = lazy((c) => c.MenuItemResponse);
export type MenuItemResponse = Shared.MenuItemResponse;
export const ClearTableResponse = lazy((c) => c.ClearTableResponse);
export type ClearTableResponse = Shared.ClearTableResponse;
export const ChitEvent = lazy((c) => c.ChitEvent);
export type ChitEvent = Shared.ChitEvent;
export const EventStreamReady = lazy((c) => c.EventStreamReady);
export type EventStreamReady = Shared.EventStreamReady;
