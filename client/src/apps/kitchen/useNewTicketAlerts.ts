import { useEffect, useRef, useState } from 'react';
import { newTickets, type Ticket } from './board.js';
import { chime } from '../../ui/sound.js';

/** How long a new ticket is highlighted. */
export const freshMs = 8_000;
/** How long the whole screen flashes. */
export const flashMs = 1_500;

export interface NewTicketAlerts {
  /** Orders whose ticket arrived in the last `freshMs`. */
  fresh: ReadonlySet<string>;
  /** The screen flashes. */
  flash: boolean;
}

/**
 * New tickets and new voids-after-cooking: highlight, flash and chime (not for what was there
 * when the board opened). `tickets` is null until the board's data has loaded.
 */
export function useNewTicketAlerts(
  tickets: readonly Ticket[] | null,
  options: { flash: boolean; sound: boolean },
): NewTicketAlerts {
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [flash, setFlash] = useState(false);
  const seen = useRef<Set<string> | null>(null);
  const alerted = useRef<Set<string> | null>(null);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    if (!tickets) return;
    const ids = tickets.map((t) => t.orderId);
    const alerts = tickets.flatMap((t) => t.alerts.map((a) => a.id));
    const added = newTickets(seen.current, tickets);
    const newAlerts = alerted.current === null ? [] : alerts.filter((id) => !alerted.current!.has(id));
    seen.current = new Set([...(seen.current ?? []), ...ids]);
    alerted.current = new Set([...(alerted.current ?? []), ...alerts]);
    if (added.length > 0) {
      setFresh((prev) => new Set([...prev, ...added]));
      if (options.flash) setFlash(true);
      if (options.sound) chime('new');
      // One timer per new ticket, kept across data changes: a bump within the 8 s must not
      // cancel it (the highlight would then never end and replay on every remount).
      for (const id of added) {
        timers.current.set(
          id,
          setTimeout(() => {
            timers.current.delete(id);
            setFresh((prev) => new Set([...prev].filter((other) => other !== id)));
          }, freshMs),
        );
      }
      return;
    }
    if (newAlerts.length > 0) {
      if (options.flash) setFlash(true);
      if (options.sound) chime('alert');
    }
  }, [tickets, options.flash, options.sound]);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(false), flashMs);
    return () => clearTimeout(timer);
  }, [flash]);

  return { fresh, flash };
}
