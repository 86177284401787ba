import { config } from 'zod';

// The app runs under `script-src 'self'` (no 'unsafe-eval'). zod probes for eval with
// `new Function('')` when its first object schema is built, which the browser reports as a
// CSP violation on every page load; jitless mode never probes. This module must be the
// entry's first import, so it runs before any schema in @chit/shared is constructed.
config({ jitless: true });
