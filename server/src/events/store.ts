import type { ChitEvent } from '@chit/shared';
import type { DbClient } from '../db/pool.js';

/** An event as the code that makes a change describes it; `id` and `at` come from the log. */
export type NewEvent = {
  [T in ChitEvent['type']]: {
    type: T;
    data: Extract<ChitEvent, { type: T }>['data'];
    tableId?: string | null;
    orderId?: string | null;
    itemId?: string | null;
    station?: string | null;
    deviceId?: string | null;
  };
}[ChitEvent['type']];

/**
 * Appends events in the caller's transaction, so an event exists exactly when its change
 * committed. The filter columns (table, order, item, station, device) let the stream
 * select what each device needs without opening the payload.
 */
export async function appendEvents(client: DbClient, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO events (type, table_id, order_id, item_id, station, device_id, payload)
     SELECT type, table_id, order_id, item_id, station, device_id, payload
       FROM jsonb_to_recordset($1::jsonb)
         AS e(type text, table_id uuid, order_id uuid, item_id uuid, station text, device_id uuid, payload jsonb)`,
    [
      JSON.stringify(
        events.map((e) => ({
          type: e.type,
          table_id: e.tableId ?? null,
          order_id: e.orderId ?? null,
          item_id: e.itemId ?? null,
          station: e.station ?? null,
          device_id: e.deviceId ?? null,
          payload: e.data,
        })),
      ),
    ],
  );
}
