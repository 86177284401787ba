/** The bump-bar and keyboard shortcuts, as a pure mapping so they can be tested and listed. */
export type KeyAction =
  | { type: 'select'; index: number }
  | { type: 'move'; by: 'left' | 'right' | 'up' | 'down' }
  | { type: 'bump' }
  | { type: 'ackAllergy' }
  | { type: 'recall' }
  | { type: 'toggleReady' }
  | { type: 'help' };

export const shortcuts: { keys: string; what: string }[] = [
  { keys: '1 – 9', what: 'Select the ticket at that position' },
  { keys: '← → ↑ ↓', what: 'Move the selection' },
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

export function keyAction(event: KeyInput): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.target === 'text') return null;
  const key = event.key;
  if (/^[1-9]$/.test(key)) return { type: 'select', index: Number(key) - 1 };
  switch (key) {
    case 'ArrowLeft':
      return { type: 'move', by: 'left' };
    case 'ArrowRight':
      return { type: 'move', by: 'right' };
    case 'ArrowUp':
      return { type: 'move', by: 'up' };
    case 'ArrowDown':
      return { type: 'move', by: 'down' };
    case 'Enter':
    case ' ':
    case 'Spacebar':
      // A focused button does its own thing with these.
      return event.target === 'button' ? null : { type: 'bump' };
    case 'b':
    case 'B':
      return { type: 'bump' };
    case 'a':
    case 'A':
      return { type: 'ackAllergy' };
    case 'r':
    case 'R':
      return { type: 'recall' };
    case 'v':
    case 'V':
      return { type: 'toggleReady' };
    case '?':
      return { type: 'help' };
    default:
      return null;
  }
}

/** The new selected position after a move, in a grid `columns` wide (clamped, never wrapping). */
export function moveSelection(
  index: number,
  by: 'left' | 'right' | 'up' | 'down',
  count: number,
  columns: number,
): number {
  if (count === 0) return 0;
  const step = by === 'left' ? -1 : by === 'right' ? 1 : by === 'up' ? -Math.max(1, columns) : Math.max(1, columns);
  const next = Math.min(count - 1, Math.max(0, index + step));
  return next;
}
