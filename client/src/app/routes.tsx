import { lazy, type ComponentType } from 'react';
import { Redirect } from 'wouter';
import { TablesScreen } from '../apps/waiter/tables/TablesScreen.js';

// Loaded on first use (and precached by the service worker, so offline too): keeps the
// first screen's JavaScript inside the budget.
const TableScreen = lazy(() => import('../apps/waiter/table/TableScreen.js').then((m) => ({ default: m.TableScreen })));
const MenuScreen = lazy(() => import('../apps/waiter/menu/MenuScreen.js').then((m) => ({ default: m.MenuScreen })));
const OrderScreen = lazy(() => import('../apps/waiter/order/OrderScreen.js').then((m) => ({ default: m.OrderScreen })));
const CustomerScreen = lazy(() =>
  import('../apps/waiter/customer/CustomerScreen.js').then((m) => ({ default: m.CustomerScreen })),
);

/**
 * Every screen of the app, in one table. The waiter's app lives at `/`. To add the kitchen
 * board or the manager console, add an app entry below with a lazy component, so their
 * code stays out of the waiter's initial bundle:
 *
 *   { path: '/kitchen', nest: true, component: lazy(() => import('../apps/kitchen/KitchenApp.js')) },
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
  { path: '/kitchen', nest: true, component: lazy(() => import('../apps/kitchen/KitchenApp.js')) },
  // The manager console (and its QR code library): its own chunk too.
  { path: '/manage', nest: true, component: lazy(() => import('../apps/manage/ManageApp.js')) },
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
