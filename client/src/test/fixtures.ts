import {
  impliedItemFields,
  type Customer,
  type MenuResponse,
  type Order,
  type OrderItem,
  type OrderType,
  type Table,
} from '@chit/shared';
import type { Ticket, TicketItem } from '../apps/kitchen/board.js';

let counter = 0;
/** Deterministic v4-shaped UUIDs: zod checks the version and variant nibbles. */
export function testUuid(): string {
  counter += 1;
  const hex = counter.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export const ids = {
  table1: '10000000-0000-4000-8000-000000000001',
  table2: '10000000-0000-4000-8000-000000000002',
  category: '20000000-0000-4000-8000-000000000001',
  pizza: '30000000-0000-4000-8000-000000000001',
  soup: '30000000-0000-4000-8000-000000000002',
  sizeGroup: '40000000-0000-4000-8000-000000000001',
  toppingGroup: '40000000-0000-4000-8000-000000000002',
  small: '50000000-0000-4000-8000-000000000001',
  large: '50000000-0000-4000-8000-000000000002',
  cheese: '50000000-0000-4000-8000-000000000003',
  mushroom: '50000000-0000-4000-8000-000000000004',
  olives: '50000000-0000-4000-8000-000000000005',
  device: '60000000-0000-4000-8000-000000000001',
};

export const menu: MenuResponse = {
  categories: [{ id: ids.category, name: 'Mains', sort: 1 }],
  items: [
    {
      id: ids.pizza,
      categoryId: ids.category,
      name: 'Margherita',
      description: 'Tomato, mozzarella, basil',
      priceCents: 1100,
      prepMinutes: 12,
      station: 'pizza',
      available: true,
      allergens: ['gluten'],
      modifierGroups: [
        {
          id: ids.sizeGroup,
          name: 'Size',
          minChoices: 1,
          maxChoices: 1,
          options: [
            { id: ids.small, name: 'Small', priceDeltaCents: -200 },
            { id: ids.large, name: 'Large', priceDeltaCents: 300 },
          ],
        },
        {
          id: ids.toppingGroup,
          name: 'Toppings',
          minChoices: 0,
          maxChoices: 2,
          options: [
            { id: ids.cheese, name: 'Extra cheese', priceDeltaCents: 150 },
            { id: ids.mushroom, name: 'Mushroom', priceDeltaCents: 100 },
            { id: ids.olives, name: 'Olives', priceDeltaCents: 80 },
          ],
        },
      ],
    },
    {
      id: ids.soup,
      categoryId: ids.category,
      name: 'Tomato soup',
      description: '',
      priceCents: 650,
      prepMinutes: null,
      station: 'kitchen',
      available: true,
      allergens: [],
      modifierGroups: [],
    },
  ],
};

export const tables: Table[] = [
  { id: ids.table1, number: 1, label: 'Table 1', area: 'Terrace' },
  { id: ids.table2, number: 2, label: 'Table 2', area: null },
];

interface CreateBody {
  id: string;
  type?: OrderType;
  tableId?: string;
  customer?: Partial<Customer> & Pick<Customer, 'name'>;
  items: { id: string; menuItemId: string; quantity: number; modifierOptionIds: string[]; note: string }[];
  note: string;
  staffName: string;
  deviceTime?: string;
}

/** What the real server would answer to a create, close enough for the client. */
export function orderFromBody(body: CreateBody, at = '2025-01-01T12:00:00.000Z', ticketNumber = 1): Order {
  return {
    id: body.id,
    ticketNumber,
    type: body.type ?? 'dine_in',
    tableId: body.tableId ?? null,
    customer: body.customer
      ? { name: body.customer.name, address: body.customer.address ?? null, phone: body.customer.phone ?? null }
      : null,
    note: body.note,
    deviceId: ids.device,
    staffName: body.staffName,
    deviceTime: body.deviceTime ?? null,
    createdAt: at,
    items: body.items.map((item, index) =>
      serverItem({ ...item, orderId: body.id, tableId: body.tableId ?? null, line: index + 1 }, at),
    ),
  };
}

/** The server's answer to an order of one soup Ben sent (the request's other fields from `body`). */
export function soupOrder(orderId: string, itemId: string, body: Partial<CreateBody> = {}): Order {
  return orderFromBody({
    id: orderId,
    items: [{ id: itemId, menuItemId: ids.soup, quantity: 1, modifierOptionIds: [], note: '' }],
    note: '',
    staffName: 'Ben',
    ...body,
  });
}

export function serverItem(
  item: {
    id: string;
    orderId: string;
    tableId: string | null;
    menuItemId?: string;
    quantity?: number;
    note?: string;
    line?: number;
  },
  at = '2025-01-01T12:00:00.000Z',
): OrderItem {
  const order = { id: item.orderId, tableId: item.tableId, deviceId: ids.device, staffName: '', deviceTime: null };
  return {
    // Queued, version 1, made with the order: as a new line the server stored.
    ...impliedItemFields({ ...order, createdAt: at }),
    id: item.id,
    menuItemId: item.menuItemId ?? ids.soup,
    line: item.line ?? 1,
    name: 'Tomato soup',
    station: 'kitchen',
    unitPriceCents: 650,
    quantity: item.quantity ?? 1,
    modifiers: [],
    note: item.note ?? '',
    cookMinutes: 10,
  };
}

/** A ticket as the kitchen board shows it: Ana's order for table 1, sent at noon, no lines unless `changes` has them. */
export function kitchenTicket(changes: Partial<Ticket> = {}): Ticket {
  return {
    ticketNumber: 12,
    orderId: '70000000-0000-4000-8000-00000000a001',
    tableId: ids.table1,
    tableLabel: 'Table 1',
    staffName: 'Ana',
    note: '',
    sentAt: '2025-01-01T12:00:00.000Z',
    state: 'queued',
    cookMinutes: 10,
    allergies: [],
    allergyAck: null,
    alerts: [],
    edited: false,
    items: [],
    ...changes,
  };
}

/** A line of a kitchen ticket: one pizza-station dish, queued, nothing special about it. */
export function ticketLine(changes: Partial<TicketItem> & Pick<TicketItem, 'id' | 'menuItemId' | 'name'>): TicketItem {
  return {
    station: 'pizza',
    quantity: 1,
    modifiers: [],
    note: '',
    status: 'queued',
    cookMinutes: 10,
    voided: false,
    voidedAfterCooking: false,
    voidReason: null,
    edit: null,
    pending: false,
    ...changes,
  };
}
