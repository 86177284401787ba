import { config } from 'zod/v4/core';

// The build resolves every `import … from 'zod'` to this module (vite.config.ts), so it runs
// before any schema is built, in whichever chunk that happens: the schemas now load after the
// first screen (sync/contract.ts), and the kitchen and manager chunks build their own.
//
// The app runs under `script-src 'self'` (no 'unsafe-eval'). zod probes for eval with
// `new Function('')` when its first object schema is built, which the browser reports as a
// CSP violation on every page load; jitless mode never probes.
export * from 'zod/v4';
export { default } from 'zod/v4';
config({ jitless: true });
