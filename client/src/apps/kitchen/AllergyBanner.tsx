import { useEffect, useRef } from 'react';
import { clockTime } from '../../ui/time.js';
import type { Ticket } from './board.js';

/**
 * The allergy banner of a ticket: black on yellow with a warning sign and the word ALLERGY
 * (not colour alone), what it is and where, and one button to acknowledge it, which the
 * ticket's first bump waits for. Once acknowledged (here or on another board) it says who
 * and when, and stays: the allergy still matters while the food is cooked.
 */
export function AllergyBanner({
  ticket,
  asking,
  onAcknowledge,
}: {
  ticket: Ticket;
  asking: boolean;
  onAcknowledge: () => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) button.current?.focus();
  }, [asking]);
  const ack = ticket.allergyAck;
  const classes = ['ticket__allergy'];
  if (ack) classes.push('ticket__allergy--acknowledged');
  if (asking) classes.push('ticket__allergy--asking');
  return (
    <section className={classes.join(' ')} aria-label="Allergy">
      <p className="ticket__allergy-title">
        <span aria-hidden="true">⚠</span> ALLERGY
      </p>
      <ul>
        {ticket.allergies.map((a) => (
          <li key={a.on}>
            <strong>{a.on}:</strong> {[a.allergens.join(', '), a.note].filter(Boolean).join(' — ')}
          </li>
        ))}
      </ul>
      {ack ? (
        <p className="ticket__allergy-ack">
          <span aria-hidden="true">✓</span> Acknowledged by {ack.staffName || ack.deviceName || 'a cook'}
          {ack.staffName && ack.deviceName ? ` (${ack.deviceName})` : ''} at {clockTime(ack.at)}
        </p>
      ) : (
        <>
          {asking ? (
            <p className="ticket__allergy-ask" role="alert">
              Acknowledge the allergy before the first bump.
            </p>
          ) : null}
          <button type="button" ref={button} className="kbutton ticket__allergy-button" onClick={onAcknowledge}>
            Acknowledge allergy
          </button>
        </>
      )}
    </section>
  );
}
