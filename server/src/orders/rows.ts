import type { Allergy, AllergyAck, ChosenModifier, ItemStatus, Order, OrderItem } from '@chit/shared';

// How orders and their items are stored: the columns read back and their mapping to the
// wire shapes. Used by the store's reads; no queries here.

export interface OrderItemRow {
  id: string;
  order_id: string;
  table_id: string | null;
  menu_item_id: string;
  name: string;
  station: string;
  unit_price_cents: number;
  quantity: number;
  modifiers: ChosenModifier[];
  note: string;
  allergy: Allergy | null;
  cook_minutes: number;
  line: number;
  status: ItemStatus;
  version: number;
  device_id: string;
  staff_name: string;
  device_time: string | null;
  created_at: string;
  updated_at: string;
  cooking_at: string | null;
  ready_at: string | null;
  served_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
  updated_by_device_id: string;
  updated_by_staff_name: string;
}

export const itemColumns = `id, line, order_id, table_id, menu_item_id, name, station, unit_price_cents, quantity, modifiers,
  note, allergy, cook_minutes, status, version, device_id, staff_name, device_time, created_at, updated_at, cooking_at,
  ready_at, served_at, voided_at, void_reason, updated_by_device_id, updated_by_staff_name`;

export function toOrderItem(row: OrderItemRow): OrderItem {
  return {
    id: row.id,
    orderId: row.order_id,
    tableId: row.table_id,
    menuItemId: row.menu_item_id,
    name: row.name,
    station: row.station,
    unitPriceCents: row.unit_price_cents,
    quantity: row.quantity,
    modifiers: row.modifiers,
    note: row.note,
    allergy: row.allergy,
    cookMinutes: row.cook_minutes,
    line: row.line,
    status: row.status,
    version: row.version,
    deviceId: row.device_id,
    staffName: row.staff_name,
    deviceTime: row.device_time,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    cookingAt: row.cooking_at,
    readyAt: row.ready_at,
    servedAt: row.served_at,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
    updatedByDeviceId: row.updated_by_device_id,
    updatedByStaffName: row.updated_by_staff_name,
  };
}

export interface OrderRow {
  id: string;
  ticket_number: number | null;
  type: Order['type'];
  table_id: string | null;
  customer_name: string | null;
  customer_address: string | null;
  customer_phone: string | null;
  note: string;
  allergy: Allergy | null;
  allergy_ack: AllergyAck | null;
  device_id: string;
  staff_name: string;
  device_time: string | null;
  created_at: string;
}

export const orderColumns = `id, ticket_number, type, table_id, customer_name, customer_address, customer_phone, note, allergy, allergy_ack, device_id,
  staff_name, device_time, created_at`;

export function toOrder(row: OrderRow, items: OrderItem[]): Order {
  return {
    id: row.id,
    ticketNumber: row.ticket_number,
    type: row.type,
    tableId: row.table_id,
    customer:
      row.customer_name === null
        ? null
        : { name: row.customer_name, address: row.customer_address, phone: row.customer_phone },
    note: row.note,
    allergy: row.allergy,
    allergyAck: row.allergy_ack,
    deviceId: row.device_id,
    staffName: row.staff_name,
    deviceTime: row.device_time,
    createdAt: row.created_at,
    items,
  };
}

/** The item columns as the camelCase keys of an `OrderItem` in JSON, for `jsonb_to_recordset`. */
export const itemJsonColumns = `"id" uuid, "orderId" uuid, "tableId" uuid, "menuItemId" uuid, "name" text, "station" text,
  "unitPriceCents" int, "quantity" int, "modifiers" jsonb, "note" text, "allergy" jsonb, "cookMinutes" int, "status" text,
  "version" int, "line" int, "deviceId" uuid, "staffName" text, "deviceTime" timestamptz, "createdAt" timestamptz,
  "updatedAt" timestamptz, "updatedByDeviceId" uuid, "updatedByStaffName" text`;
