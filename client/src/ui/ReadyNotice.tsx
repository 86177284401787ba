import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { useServices } from './context.js';
import { useReadyForMe } from '../db/ready.js';

/**
 * "3 ready · T12, T14" in the header of every waiter screen: food waiting at the pass for
 * this waiter, wherever they are in the app. Tapping it goes to the place waiting longest.
 * A phone buzzes when more becomes ready (tablets have no vibration; it does nothing there).
 */
export default function ReadyNotice() {
  const { db } = useServices();
  const places = useReadyForMe(db) ?? [];
  const count = places.reduce((sum, p) => sum + p.count, 0);
  const seen = useRef(count);
  useEffect(() => {
    if (count > seen.current) navigator.vibrate?.(200);
    seen.current = count;
  }, [count]);
  if (count === 0) return null;
  const names = places.map((p) => p.label);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
  return (
    <Link
      href={places[0]!.href}
      className="ready-notice"
      aria-label={`${count} ${count === 1 ? 'dish' : 'dishes'} ready to serve: ${names.join(', ')}`}
    >
      <span className="ready-notice__count">{count} ready</span>
      <span className="ready-notice__where">{shown}</span>
    </Link>
  );
}
