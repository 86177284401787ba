export * from './devices.js';
export * from './errors.js';
export * from './events.js';
export * from './http.js';
export * from './menu.js';
export * from './orders.js';
export * from './tables.js';
