/** The bump-bar and keyboard shortcuts, as a pure mapping so they can be tested and listed. */
export type KeyAction =
  | { type: 'select'; index: number }
  | { type: 'move'; by: 'left' | 'right' | 'up' | 'down' }
  | { type: 'bump' }
  | { type: 'ackAllergy' }
  | { type: 'recall' }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'toggleReady' }
  | { type: 'help' };

export const shortcuts: { keys: string; what: string }[] = [
  { keys: '1 – 9', what: 'Select the ticket at that position on this page' },
  { keys: '↑ ↓', what: 'Previous or next ticket (oldest first), across pages' },
  { keys: '← →', what: 'The ticket in the column to the left or right, across pages' },
  { keys: 'Page Down, ] · Page Up, [', what: 'Next page · previous page' },
  { keys: 'Enter, Space or B', what: 'Bump the selected ticket' },
  { keys: 'A', what: "Acknowledge the selected ticket's allergy (needed before its first bump)" },
  { keys: 'R', what: 'Recall the last bump' },
  { keys: 'V', what: 'Switch between the board and the ready view' },
  { keys: '?', what: 'Show these shortcuts' },
];

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The key went to a text field, a select, or (for Enter/Space) a button that handles it. */
  target?: 'text' | 'button' | 'other';
}

/** Keys that always do the same; a letter does it in either case. */
const fixedKeys = new Map<string, KeyAction>([
  ['ArrowLeft', { type: 'move', by: 'left' }],
  ['ArrowRight', { type: 'move', by: 'right' }],
  ['ArrowUp', { type: 'move', by: 'up' }],
  ['ArrowDown', { type: 'move', by: 'down' }],
  ['PageDown', { type: 'page', by: 1 }],
  [']', { type: 'page', by: 1 }],
  ['PageUp', { type: 'page', by: -1 }],
  ['[', { type: 'page', by: -1 }],
  ['b', { type: 'bump' }],
  ['a', { type: 'ackAllergy' }],
  ['r', { type: 'recall' }],
  ['v', { type: 'toggleReady' }],
  ['?', { type: 'help' }],
]);

export function keyAction(event: KeyInput): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.target === 'text') return null;
  const key = event.key;
  if (/^[1-9]$/.test(key)) return { type: 'select', index: Number(key) - 1 };
  if (key === 'Enter' || key === ' ' || key === 'Spacebar') {
    // A focused button does its own thing with these.
    return event.target === 'button' ? null : { type: 'bump' };
  }
  const action = fixedKeys.get(key.length === 1 ? key.toLowerCase() : key);
  // A copy: the caller may keep it.
  return action ? { ...action } : null;
}

/** Where a ticket starts on the board: its column (counted across pages) and its top edge. */
export interface Spot {
  column: number;
  top: number;
}

/**
 * The new selected position on a board laid out in columns (tickets in reading order, oldest
 * first): ↑ ↓ step to the previous or next ticket, ← → to the ticket starting in the nearest
 * column on that side whose top is closest. Clamped, never wrapping.
 */
export function moveAmong(spots: readonly Spot[], index: number, by: 'left' | 'right' | 'up' | 'down'): number {
  if (spots.length === 0) return 0;
  if (by === 'up') return Math.max(0, index - 1);
  if (by === 'down') return Math.min(spots.length - 1, index + 1);
  const here = spots[index];
  if (!here) return 0;
  const side = by === 'right' ? 1 : -1;
  let column: number | null = null;
  for (const spot of spots) {
    const away = (spot.column - here.column) * side;
    if (away > 0 && (column === null || away < (column - here.column) * side)) column = spot.column;
  }
  if (column === null) return index;
  let best = index;
  let distance = Infinity;
  spots.forEach((spot, i) => {
    if (spot.column !== column) return;
    const d = Math.abs(spot.top - here.top);
    if (d < distance) {
      best = i;
      distance = d;
    }
  });
  return best;
}
