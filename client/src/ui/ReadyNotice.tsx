import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { useServices } from './context.js';
import { chime, unlockSound } from './sound.js';
import { useMeta } from '../db/hooks.js';
import { readyAlertDefaults } from '../db/meta.js';
import { useReadyForMe } from '../db/ready.js';

/**
 * "3 ready · T12, T14" in the header of every waiter screen: food waiting at the pass for
 * this waiter, wherever they are in the app. Tapping it goes to the place waiting longest.
 * When more becomes ready, a phone buzzes and the device chimes, as its waiter chose
 * (`meta.readyAlerts`, set in the staff dialog; tablets have no vibration).
 */
export default function ReadyNotice() {
  const { db } = useServices();
  const ready = useReadyForMe(db);
  const { vibrate, sound } = { ...readyAlertDefaults, ...useMeta(db, 'readyAlerts') };
  const places = ready ?? [];
  const count = places.reduce((sum, p) => sum + p.count, 0);
  // Null until the first read: food already waiting when the app opens is no news.
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (ready === undefined) return;
    if (seen.current !== null && count > seen.current) {
      if (vibrate) navigator.vibrate?.(200);
      if (sound) chime('ready');
    }
    seen.current = count;
  }, [ready, count, vibrate, sound]);
  useEffect(() => {
    if (!sound) return;
    // After a reload the browser holds sound back until a tap; a waiter taps all the time.
    const unlock = () => void unlockSound();
    document.addEventListener('pointerdown', unlock, { capture: true, once: true });
    return () => document.removeEventListener('pointerdown', unlock, { capture: true });
  }, [sound]);
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
