import type { ItemStatus } from '@chit/shared';

/*
 * What the kitchen board keeps in the meta store. The shapes live here, beside the store
 * that holds them, so db/ needs nothing from the kitchen app above it; the board's rules
 * for them (defaults, limits) stay in apps/kitchen/settings.ts.
 */

/** The board's settings, kept on this device (IndexedDB `meta.kitchenSettings`). */
export interface KitchenSettings {
  /** Show only this station's items (null: every station). */
  station: string | null;
  /** A ticket turns "near" at this share of its cook time (percent). */
  nearPercent: number;
  /** ...and "overdue" past this share. */
  overduePercent: number;
  /** Beep for a new ticket (browsers need a tap first, which turning it on is). */
  sound: boolean;
  /** Flash the screen for a new ticket. */
  flash: boolean;
  /** Used when no item of a ticket has a cook time. */
  defaultCookMinutes: number;
  /** Text size in percent of the default, which is readable from 3 m on a 43–55" TV (docs/decisions.md). */
  textSize: number;
}

/** The last bump, so Recall can move exactly those items back. */
export interface LastBump {
  orderId: string;
  tableLabel: string;
  at: number;
  moves: { itemId: string; from: ItemStatus; to: 'queued' | 'cooking' | 'ready' }[];
}
