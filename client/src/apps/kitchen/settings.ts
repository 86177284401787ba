import type { KitchenSettings } from '../../db/kitchen-meta.js';

// The shapes are db/'s (it stores them); the board imports them from here with their rules.
export type { KitchenSettings, LastBump } from '../../db/kitchen-meta.js';

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
