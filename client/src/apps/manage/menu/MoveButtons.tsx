import { useEffect, useRef } from 'react';

const directions = ['up', 'down'] as const;
export type Direction = (typeof directions)[number];

/** `list` with the entry at `index` moved one place up or down. */
export function moved<T>(list: readonly T[], index: number, direction: Direction): T[] {
  const to = direction === 'up' ? index - 1 : index + 1;
  const next = [...list];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/**
 * "Move up" and "Move down" for one entry of a list the manager arranges: buttons, so they
 * work the same by touch, mouse and keyboard (Tab to them, Enter or Space), and are named
 * for screen readers. The button pressed keeps the focus as its entry moves, so a keyboard
 * user can press it again to move the entry further.
 */
export function MoveButtons({
  name,
  index,
  count,
  busy,
  focus,
  onMove,
}: {
  name: string;
  index: number;
  count: number;
  busy: boolean;
  /** The direction last moved, when this entry was the one moved: that button takes the focus back. */
  focus: Direction | null;
  onMove: (direction: Direction) => void;
}) {
  const refs = { up: useRef<HTMLButtonElement>(null), down: useRef<HTMLButtonElement>(null) };
  const first = index === 0;
  const last = index === count - 1;
  useEffect(() => {
    if (focus === null || busy) return;
    // At the end of the list the pressed button is disabled: the other one takes the focus.
    const target = (focus === 'up' && !first) || (focus === 'down' && last) ? 'up' : 'down';
    refs[target].current?.focus();
  }, [focus, index, busy, first, last]);
  return (
    <div className="manage-move" role="group" aria-label={`Order of ${name}`}>
      {directions.map((direction) => (
        <button
          key={direction}
          ref={refs[direction]}
          type="button"
          className="button button--ghost"
          disabled={busy || (direction === 'up' ? first : last)}
          onClick={() => onMove(direction)}
          aria-label={`Move ${name} ${direction}`}
        >
          {direction === 'up' ? '↑' : '↓'}
        </button>
      ))}
    </div>
  );
}
