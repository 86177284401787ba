/*
 * The page objects of the browser suite, one a file in pages/; tests import them from here.
 */
export * from './pages/pairing-screen.js';
export * from './pages/tables-screen.js';
export * from './pages/place.js';
export * from './pages/table-screen.js';
export * from './pages/item-sheet.js';
export * from './pages/cart.js';
export * from './pages/menu-screen.js';
export * from './pages/customer-form.js';
export * from './pages/sync-badge.js';
export * from './pages/outbox.js';
export * from './pages/waiter-app.js';
export * from './pages/kitchen-board.js';
