import { useEffect, useRef } from 'react';
import { keyAction, type KeyAction } from './keys.js';

/** Where a key went: a text field or dialog (not ours), a button (Enter/Space are its own), or the board. */
export function targetKind(target: EventTarget | null): 'text' | 'button' | 'other' {
  if (!(target instanceof HTMLElement)) return 'other';
  if (target.closest('dialog')) return 'text';
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return 'text';
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return 'button';
  return 'other';
}

/**
 * The keyboard and bump bar (a bump bar is a keyboard): every key the board knows becomes a
 * `KeyAction` for `onAction`, unless `enabled` is false (a dialog is open). The listener is
 * installed once; it always calls the latest `onAction`.
 */
export function useBumpBar(enabled: boolean, onAction: (action: KeyAction) => void): void {
  const latest = useRef({ enabled, onAction });
  latest.current = { enabled, onAction };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!latest.current.enabled) return;
      const action = keyAction({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        target: targetKind(event.target),
      });
      if (!action) return;
      event.preventDefault();
      latest.current.onAction(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
