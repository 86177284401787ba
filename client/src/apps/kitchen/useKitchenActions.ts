import { useCallback, useEffect, useRef, useState } from 'react';
import type { KitchenData } from '../../db/kitchen.js';
import { deleteMeta, setMeta } from '../../db/meta.js';
import type { StatusMove } from '../../db/mutations/bumpItem.js';
import type { ChitDb } from '../../db/schema.js';
import type { SyncEngine } from '../../sync/engine.js';
import { needsAllergyAck, recallMoves, type Ticket } from './board.js';
import { storedMoves, unsettledMoves, type PendingMoves } from './pendingMoves.js';
import type { LastBump } from './settings.js';

export interface KitchenActions {
  /** Moves items (a bump, or back to cooking) and remembers it for Recall. */
  move: (ticket: Ticket, moves: StatusMove[]) => Promise<void>;
  /** Undoes the last bump; returns the order it recalled, if any. */
  recall: () => Promise<string | null>;
  /** Acknowledges a ticket's allergy banner (recorded on the server, through the outbox). */
  acknowledgeAllergy: (ticket: Ticket) => void;
  /** The order whose bump waits for its allergy to be acknowledged (the banner asks). */
  asking: string | null;
  /** Acknowledges a ticket's voids after cooking. */
  dismiss: (ticket: Ticket) => void;
  /** A short line for the cook ("Recalled Table 12."), gone after 5 s. */
  message: string | null;
  /** Bumps the board shows before the live data does (see PendingMove). */
  pending: PendingMoves;
}

/** What the cook's taps and keys do to the data: bumps, recall, acknowledging a void. */
export function useKitchenActions(
  db: ChitDb,
  engine: SyncEngine,
  data: KitchenData | undefined,
  lastBump: LastBump | null | undefined,
  dismissedList: string[] | null | undefined,
): KitchenActions {
  const [message, setMessage] = useState<string | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingMoves>([]);
  const batches = useRef(0);

  // Each new read of the data holds every move stored before it.
  useEffect(() => setPending(unsettledMoves), [data]);

  /** The write, shown on the board at once rather than after IndexedDB and the live query. */
  const write = useCallback(
    async (moves: readonly StatusMove[]) => {
      const batch = ++batches.current;
      setPending((current) => [...current, ...moves.map((m) => ({ ...m, batch, stored: false }))]);
      const result = await engine.mutate('bumpItem', moves);
      setPending((current) => storedMoves(current, batch, result.moved));
      return result;
    },
    [engine],
  );

  const move = useCallback(
    async (ticket: Ticket, moves: StatusMove[]) => {
      if (moves.length === 0) return;
      // An allergy no cook has acknowledged stops the first bump forward (going back is fine).
      if (needsAllergyAck(ticket) && moves.some((m) => m.to !== 'queued')) {
        setAsking(ticket.orderId);
        setMessage(`${ticket.tableLabel} has an allergy: acknowledge it first (tap the banner, or press A).`);
        return;
      }
      const result = await write(moves);
      if (result.moved.length > 0) {
        await setMeta(db, 'kitchenLastBump', {
          orderId: ticket.orderId,
          tableLabel: ticket.tableLabel,
          at: engine.now(),
          moves: result.moved,
        });
      }
    },
    [db, engine, write],
  );

  const recall = useCallback(async () => {
    if (!lastBump || !data) {
      setMessage('Nothing to recall.');
      return null;
    }
    const statuses = new Map(data.items.map((i) => [i.id, i.status]));
    const moves = recallMoves(lastBump, statuses);
    await deleteMeta(db, 'kitchenLastBump');
    if (moves.length === 0) {
      setMessage(`${lastBump.tableLabel} has moved on since; nothing to recall.`);
      return null;
    }
    await write(moves);
    setMessage(`Recalled ${lastBump.tableLabel}.`);
    return lastBump.orderId;
  }, [data, db, lastBump, write]);

  const acknowledgeAllergy = useCallback(
    (ticket: Ticket) => {
      if (!needsAllergyAck(ticket)) return;
      setAsking((current) => (current === ticket.orderId ? null : current));
      setMessage(null);
      void engine.mutate('ackAllergy', { orderId: ticket.orderId });
    },
    [engine],
  );

  const dismiss = useCallback(
    (ticket: Ticket) => {
      const ids = new Set(dismissedList ?? []);
      for (const a of ticket.alerts) ids.add(a.id);
      // Alerts only live 15 minutes; a few hundred ids is plenty to remember.
      void setMeta(db, 'kitchenDismissed', [...ids].slice(-300));
    },
    [db, dismissedList],
  );

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 5_000);
    return () => clearTimeout(timer);
  }, [message]);

  return { move, recall, dismiss, acknowledgeAllergy, asking, message, pending };
}
