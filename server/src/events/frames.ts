import type { ChitEvent } from '@chit/shared';
import { compactOrder } from '@chit/shared';
import type { StoredEvent } from './store.js';

// What a stream is sent: each event serialised once as a frame, and which streams want it.
// Pure: the hub reads the rows and writes the frames.

/** What one stream wants; every given field must match (AND). */
export interface EventFilter {
  /** Kitchen station: its items' changes, and orders with at least one of its items. */
  station?: string;
  /** Only events about items (and orders) this device created. */
  deviceId?: string;
  tableId?: string;
}

/** One event, serialised once and written to every stream that wants it. */
export interface Frame {
  position: number;
  /** When the event's transaction wrote it (ms since the epoch), for the lag metric. */
  at: number;
  type: ChitEvent['type'];
  tableId: string | null;
  deviceId: string | null;
  stations: readonly string[];
  text: string;
  /** The frame for streams that asked for `compact` (differs for order.created only). */
  compactText: string;
}

/** The frame of a stored event, in its full and compact forms. */
export function toFrame(row: StoredEvent): Frame {
  // The payload was written by appendEvents from a typed NewEvent; it is not re-validated
  // on the hot path.
  const event = { id: row.position, at: row.created_at, type: row.type, data: row.payload } as ChitEvent;
  const stations =
    event.type === 'order.created'
      ? [...new Set(event.data.order.items.map((item) => item.station))]
      : event.type === 'order.allergy_acknowledged'
        ? event.data.stations
        : row.station === null
          ? []
          : [row.station];
  // No `event:` field: every ChitEvent is a plain message, so one onmessage handler sees them all.
  const text = `id: ${row.position}\ndata: ${JSON.stringify(event)}\n\n`;
  const compactText =
    event.type === 'order.created'
      ? `id: ${row.position}\ndata: ${JSON.stringify({ ...event, data: { order: compactOrder(event.data.order) } })}\n\n`
      : text;
  return {
    position: row.position,
    at: Date.parse(row.created_at),
    type: row.type,
    tableId: row.table_id,
    deviceId: row.device_id,
    stations,
    text,
    compactText,
  };
}

const everyoneHears = new Set<string>(['menu.availability', 'menu.changed', 'tables.changed']);

/** Whether a stream with `filter` is sent `frame`. */
export function matches(filter: EventFilter, frame: Frame): boolean {
  if (filter.station !== undefined && !frame.stations.includes(filter.station)) return false;
  // Every device must hear that a dish was 86ed or the menu or tables changed, whatever
  // table or waiter it follows.
  if (everyoneHears.has(frame.type)) return true;
  // A clear matters to every tablet showing the table, whoever's orders it follows.
  if (frame.type === 'table.cleared') return filter.tableId === undefined || frame.tableId === filter.tableId;
  if (filter.deviceId !== undefined && frame.deviceId !== filter.deviceId) return false;
  if (filter.tableId !== undefined && frame.tableId !== filter.tableId) return false;
  return true;
}

/** A filter that lets every event through (a manager's console). */
export function isEmpty(filter: EventFilter): boolean {
  return filter.station === undefined && filter.deviceId === undefined && filter.tableId === undefined;
}
