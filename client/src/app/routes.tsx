import type { ComponentType } from 'react';
import { Redirect } from 'wouter';
import { TablesScreen } from '../apps/waiter/tables/TablesScreen.js';
import { lazyPart } from '../ui/lazyPart.js';

// Loaded on first use (and precached by the service worker, so offline too): keeps the
// first screen's JavaScript inside the budget.
const loading = { loading: <main className="screen" aria-busy="true" /> };
const TableScreen = lazyPart(() => import('../apps/waiter/table/TableScreen.js').then((m) => m.TableScreen), loading);
const MenuScreen = lazyPart(() => import('../apps/waiter/menu/MenuScreen.js').then((m) => m.MenuScreen), loading);
const OrderScreen = lazyPart(() => import('../apps/waiter/order/OrderScreen.js').then((m) => m.OrderScreen), loading);
const CustomerScreen = lazyPart(
  () => import('../apps/waiter/customer/CustomerScreen.js').then((m) => m.CustomerScreen),
  loading,
);

/**
 * Every screen of the app, in one table. The waiter's app lives at `/`. To add the kitchen
 * board or the manager console, add an app entry below with a `lazyPart` component, so their
 * code stays out of the waiter's initial bundle:
 *
 *   { path: '/kitchen', nest: true, component: lazyPart(() => import('../apps/kitchen/KitchenApp.js').then((m) => m.default)) },
 */
export interface AppRoute {
  path: string;
  /** Matches everything under `path` (the app routes within itself). */
  nest?: boolean;
  component: ComponentType<{ params: Record<string, string | undefined> }>;
}

export interface ScreenRoute {
  path: string;
  component: ComponentType<{ params: Record<string, string | undefined> }>;
}

/** Other apps on the same origin; the waiter app is the fallback for everything else. */
export const appRoutes: AppRoute[] = [
  // The kitchen board: its own chunk, never in the waiter's first download.
  {
    path: '/kitchen',
    nest: true,
    component: lazyPart(() => import('../apps/kitchen/KitchenApp.js').then((m) => m.default), loading),
  },
  // The manager console (and its QR code library): its own chunk too.
  {
    path: '/manage',
    nest: true,
    component: lazyPart(() => import('../apps/manage/ManageApp.js').then((m) => m.default), loading),
  },
];

export const waiterRoutes: ScreenRoute[] = [
  { path: '/', component: () => <TablesScreen /> },
  // A pairing link (`/pair?code=…`) opened on a tablet that is already paired.
  { path: '/pair', component: () => <Redirect to="/" replace /> },
  { path: '/tables/:tableId', component: ({ params }) => <TableScreen tableId={params.tableId ?? ''} /> },
  { path: '/tables/:tableId/menu', component: ({ params }) => <MenuScreen tableId={params.tableId ?? ''} /> },
  // Takeaway and delivery: the customer first (a draft), then its dishes, then the order.
  { path: '/orders/new', component: () => <CustomerScreen /> },
  { path: '/orders/:orderId', component: ({ params }) => <OrderScreen orderId={params.orderId ?? ''} /> },
  { path: '/orders/:orderId/menu', component: ({ params }) => <MenuScreen draftId={params.orderId ?? ''} /> },
  {
    path: '/orders/:orderId/customer',
    component: ({ params }) => <CustomerScreen draftId={params.orderId ?? ''} />,
  },
];
