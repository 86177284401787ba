import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ServicesContext } from './ui/context.js';
import { openDb } from './db/schema.js';
import { registerServiceWorker } from './pwa/register.js';
import { loadContract } from './sync/contract.js';
import { SyncEngine } from './sync/engine.js';
import { Api } from './sync/api.js';
import { storagePersistence } from './sync/storage.js';
import { deviceLock } from './sync/lock.js';
import './styles/app.css';

const db = openDb();
// One lock across tabs: the sender holds it for each request, and an update waits for it.
const lock = deviceLock();
// The device's clock and ids: the one place the app reads them (tests pass their own).
const ctx = { now: () => Date.now(), uuid: () => crypto.randomUUID() };
// Asks the browser now not to evict the outbox under storage pressure; every request then
// says whether it agreed, for the manager's device health.
const api = new Api({ storagePersisted: storagePersistence(navigator.storage, ctx.now) });
const engine = new SyncEngine(db, ctx, { lock, api });
const updates = registerServiceWorker(lock);

void engine.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ServicesContext.Provider value={{ db, engine, updates }}>
      <App />
    </ServicesContext.Provider>
  </StrictMode>,
);
// The schemas the first answers are checked with: fetched beside those answers, not after them.
void loadContract().catch(() => undefined);
