import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ServicesContext } from './ui/context.js';
import { openDb } from './db/schema.js';
import { registerServiceWorker } from './pwa/register.js';
import { loadContract } from './sync/contract.js';
import { SyncEngine } from './sync/engine.js';
import { deviceLock } from './sync/lock.js';
import './styles/app.css';

const db = openDb();
// One lock across tabs: the sender holds it for each request, and an update waits for it.
const lock = deviceLock();
// The device's clock and ids: the one place the app reads them (tests pass their own).
const engine = new SyncEngine(db, { now: () => Date.now(), uuid: () => crypto.randomUUID() }, { lock });
const updates = registerServiceWorker(lock);

// Ask the browser not to evict the outbox under storage pressure. Chrome grants it to
// installed apps without a prompt; if refused, the outbox still works, just less safely.
void navigator.storage?.persist?.().catch(() => false);
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
