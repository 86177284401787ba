import type { ItemStatus } from '@chit/shared';

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

/** The sizes offered, in percent: the default is the 3 m size; smaller ones fit more tickets. */
export const textSizes: { value: number; label: string }[] = [
  { value: 70, label: 'Small: tablet at arm’s length, most tickets' },
  { value: 85, label: 'Medium: about 2 m' },
  { value: 100, label: 'Large: 3 m from a 43–55" TV (default)' },
  { value: 125, label: 'Extra large: 4 m' },
];

export const defaultSettings: KitchenSettings = {
  station: null,
  nearPercent: 80,
  overduePercent: 100,
  sound: false,
  flash: true,
  defaultCookMinutes: 15,
  textSize: 100,
};

export function withDefaults(saved: Partial<KitchenSettings> | null | undefined): KitchenSettings {
  const merged = { ...defaultSettings, ...(saved ?? {}) };
  const near = clamp(merged.nearPercent, 10, 300);
  return {
    ...merged,
    nearPercent: near,
    overduePercent: clamp(Math.max(merged.overduePercent, near), near, 500),
    defaultCookMinutes: clamp(merged.defaultCookMinutes, 1, 240),
    textSize: clamp(merged.textSize, 50, 200),
  };
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** The last bump, so Recall can move exactly those items back. */
export interface LastBump {
  orderId: string;
  tableLabel: string;
  at: number;
  moves: { itemId: string; from: ItemStatus; to: 'queued' | 'cooking' | 'ready' }[];
}
