/**
 * What the sync engine loads right after the first screen rather than with it (see
 * engine.ts): the sender, the poller, the event stream and the mutations, with the merges
 * they use. Nothing here runs before the engine starts, and every merge happens in here,
 * so the mutations (which rebase replays by name) are always loaded before one.
 */
export { prune } from '../db/cache.js';
export { applyMutation } from '../db/mutations/index.js';
export { discardEntry, exportOutbox, outboxHealth, resendEntry } from '../db/outbox.js';
export { EventSubscriber } from './events.js';
export { OutboxSender } from './outbox.js';
export { Poller } from './poller.js';
