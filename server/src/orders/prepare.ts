import {
  checkModifierChoices,
  unitPriceCents,
  type ChosenModifier,
  type CreateOrderInput,
  type ErrorDetail,
  type MenuItem,
  type Order,
  type OrderItem,
} from '@chit/shared';
import type { Actor } from '../actor.js';
import type { Clock, Random } from '../clock.js';
import { Unprocessable } from '../http/errors.js';
import type { Catalog } from './catalog.js';

// Preparing an order: checking it against the menu and tables, pricing its lines, and
// building it as it will be stored. No database: everything it reads is in the `Catalog`.

/** A random 5 to 15 minutes for dishes whose prep time the kitchen has not given. */
export function randomCookMinutes(random: Random): number {
  return 5 + Math.floor(random() * 11);
}

/** The customer a takeaway or delivery order is for; null for dine-in. */
function customerOf(input: CreateOrderInput): Order['customer'] {
  switch (input.type) {
    case 'dine_in':
      return null;
    case 'takeaway':
      return { name: input.customer.name, address: null, phone: null };
    case 'delivery':
      return input.customer;
  }
}

/**
 * Refuses an unknown table and one that has been removed. The order's statement checks
 * the catalog is still current but does not lock the table: an order racing the removal
 * of its table to the millisecond lands on the removed table (still billed, still
 * cooked), which is the lesser harm than a lock on the hot path.
 */
function checkLiveTable(catalog: Catalog, tableId: string): void {
  const table = catalog.tables.get(tableId);
  if (!table) {
    throw new Unprocessable('table_not_found', `Table ${tableId} does not exist.`, {
      details: [{ path: 'tableId', message: 'No table has this id.' }],
    });
  }
  if (table.archived) {
    throw new Unprocessable('table_not_found', `Table ${table.number} has been removed.`, {
      details: [{ path: 'tableId', message: 'This table has been removed.' }],
    });
  }
}

/** The chosen options of `menuItem` as stored on the item: names and prices as of now. */
export function chosenModifiers(menuItem: MenuItem, optionIds: readonly string[]): ChosenModifier[] {
  const chosen = new Set(optionIds);
  return menuItem.modifierGroups.flatMap((group) =>
    group.options
      .filter((option) => chosen.has(option.id))
      .map((option) => ({
        groupId: group.id,
        groupName: group.name,
        optionId: option.id,
        name: option.name,
        priceDeltaCents: option.priceDeltaCents,
      })),
  );
}

/**
 * Checks new choices for a queued item against its dish as the menu has it now (the same
 * rules as an order's line: options of this dish, min/max per group, the dish still
 * orderable, no price below nothing) and prices them: unit price = dish + options.
 */
export function prepareModifierChange(
  menuItem: (MenuItem & { archived?: boolean }) | undefined,
  optionIds: readonly string[],
): { modifiers: ChosenModifier[]; unitPriceCents: number } {
  const path = 'modifierOptionIds';
  if (!menuItem || menuItem.archived) {
    const message = `${menuItem?.name ?? 'This dish'} is no longer on the menu, so its choices cannot change. Void it and add a new line instead.`;
    throw new Unprocessable('menu_item_unavailable', message, { details: [{ path, message }] });
  }
  if (!menuItem.available) {
    const message = `${menuItem.name} is not available right now, so its choices cannot change.`;
    throw new Unprocessable('menu_item_unavailable', message, { details: [{ path, message }] });
  }
  const problems = checkModifierChoices(menuItem, optionIds);
  if (problems.length > 0) {
    throw new Unprocessable('modifier_choice_invalid', problems[0]!.message, {
      details: problems.map((p) => ({ path, message: p.message })),
    });
  }
  const price = unitPriceCents(menuItem, optionIds);
  if (price < 0) {
    const message = `${menuItem.name} with these options would cost less than nothing (${price} cents); ask a manager to fix its prices.`;
    throw new Unprocessable('unit_price_negative', message, { details: [{ path, message }] });
  }
  return { modifiers: chosenModifiers(menuItem, optionIds), unitPriceCents: price };
}

/** The refusals of an order's lines, by kind, in the order they are reported. */
interface LineProblems {
  notFound: ErrorDetail[];
  unavailable: ErrorDetail[];
  badChoices: ErrorDetail[];
  negativePrices: ErrorDetail[];
}

function checkLines(catalog: Catalog, input: CreateOrderInput): LineProblems {
  const problems: LineProblems = { notFound: [], unavailable: [], badChoices: [], negativePrices: [] };
  input.items.forEach((line, index) => {
    const menuItem = catalog.menuItems.get(line.menuItemId);
    const path = `items.${index}`;
    if (!menuItem) {
      problems.notFound.push({
        path: `${path}.menuItemId`,
        message: `Menu item ${line.menuItemId} is not on the menu.`,
      });
    } else if (menuItem.archived) {
      // Taken off the menu while the order waited on a tablet: say which dish, like 86ed ones.
      problems.unavailable.push({ path: `${path}.menuItemId`, message: `${menuItem.name} is no longer on the menu.` });
    } else if (!menuItem.available) {
      problems.unavailable.push({
        path: `${path}.menuItemId`,
        message: `${menuItem.name} is not available right now.`,
      });
    } else {
      const choices = checkModifierChoices(menuItem, line.modifierOptionIds);
      for (const problem of choices) {
        problems.badChoices.push({ path: `${path}.modifierOptionIds`, message: problem.message });
      }
      // Options may take money off (a smaller size), but never below nothing.
      const price = unitPriceCents(menuItem, line.modifierOptionIds);
      if (choices.length === 0 && price < 0) {
        problems.negativePrices.push({
          path: `${path}.modifierOptionIds`,
          message: `${menuItem.name} with these options would cost less than nothing (${price} cents); ask a manager to fix its prices.`,
        });
      }
    }
  });
  return problems;
}

/** Throws the first kind of refusal found, with every line it applies to. */
function refuse({ notFound, unavailable, badChoices, negativePrices }: LineProblems): void {
  if (notFound.length > 0) {
    throw new Unprocessable('menu_item_not_found', notFound[0]!.message, { details: notFound });
  }
  if (unavailable.length > 0) {
    throw new Unprocessable('menu_item_unavailable', unavailable.map((d) => d.message).join(' '), {
      details: unavailable,
    });
  }
  if (badChoices.length > 0) {
    throw new Unprocessable('modifier_choice_invalid', badChoices[0]!.message, { details: badChoices });
  }
  if (negativePrices.length > 0) {
    throw new Unprocessable('unit_price_negative', negativePrices[0]!.message, { details: negativePrices });
  }
}

/**
 * Prices and checks an order against the menu and tables of `catalog` and builds it as it
 * will be stored, without writing anything. Refuses the whole order if any line is wrong.
 */
export function prepareOrder(
  catalog: Catalog,
  input: CreateOrderInput,
  actor: Actor,
  clock: Clock,
  random: Random,
): Order {
  const tableId = input.type === 'dine_in' ? input.tableId : null;
  if (tableId !== null) checkLiveTable(catalog, tableId);
  refuse(checkLines(catalog, input));

  const now = clock.now().toISOString();
  const deviceTime = input.deviceTime ? new Date(input.deviceTime).toISOString() : null;
  const items: OrderItem[] = input.items.map((line, index) => {
    const menuItem = catalog.menuItems.get(line.menuItemId)!;
    return {
      id: line.id,
      orderId: input.id,
      tableId,
      menuItemId: menuItem.id,
      name: menuItem.name,
      station: menuItem.station,
      unitPriceCents: unitPriceCents(menuItem, line.modifierOptionIds),
      quantity: line.quantity,
      modifiers: chosenModifiers(menuItem, line.modifierOptionIds),
      note: line.note,
      allergy: line.allergy ?? null,
      cookMinutes: menuItem.prepMinutes ?? randomCookMinutes(random),
      line: index + 1,
      status: 'queued',
      version: 1,
      deviceId: actor.device.id,
      staffName: actor.staffName,
      deviceTime,
      createdAt: now,
      updatedAt: now,
      cookingAt: null,
      readyAt: null,
      servedAt: null,
      voidedAt: null,
      voidReason: null,
      updatedByDeviceId: actor.device.id,
      updatedByStaffName: actor.staffName,
    };
  });
  return {
    id: input.id,
    // Given by the statement that stores the order (store.ts), in the same place of the answer.
    ticketNumber: null,
    type: input.type,
    tableId,
    customer: customerOf(input),
    note: input.note,
    allergy: input.allergy ?? null,
    allergyAck: null,
    deviceId: actor.device.id,
    staffName: actor.staffName,
    deviceTime,
    createdAt: now,
    items,
  };
}
