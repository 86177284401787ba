import { memo } from 'react';
import type { StatusMove } from '../../db/mutations/bumpItem.js';
import { ticketNumberText } from '../../ui/ticket-number.js';
import { clockTime } from '../../ui/time.js';
import { elapsed, itemBump, ticketBump, ticketUnready, timerState, timerText, type Ticket } from './board.js';
import { AllergyBanner } from './AllergyBanner.js';
import { ItemLine } from './ItemLine.js';
import type { KitchenSettings } from './settings.js';
import './TicketCard.css';

const nextText: Record<string, string> = { queued: 'Start', cooking: 'Ready' };

export interface TicketCardProps {
  ticket: Ticket;
  /** What the cook presses (1–9) to select it on this page; shown on the card. Null: none. */
  position: number | null;
  /** On another page: not shown, so not reachable by tab or screen reader either. */
  offPage?: boolean;
  selected: boolean;
  fresh: boolean;
  now: number;
  settings: KitchenSettings;
  readyView: boolean;
  onSelect: (orderId: string) => void;
  onMove: (ticket: Ticket, moves: StatusMove[]) => void;
  onDismiss: (ticket: Ticket) => void;
  /** A bump was tried before the allergy was acknowledged: the banner asks for it. */
  askingAllergyAck?: boolean;
  onAcknowledgeAllergy?: (ticket: Ticket) => void;
}

/**
 * A ticket, in slots from top to bottom: head (position, place, timer), meta line, alerts
 * (banners a cook must not miss go here), order note, items, foot (Bump ticket).
 */
export const TicketCard = memo(function TicketCard(props: TicketCardProps) {
  const { ticket, position, selected, fresh, now, settings, readyView } = props;
  const age = now - Date.parse(ticket.sentAt);
  const timer = timerState(age, ticket.cookMinutes, settings);
  const headingId = `ticket-${ticket.orderId}`;
  const bump = ticketBump(ticket);
  const classes = ['ticket', `ticket--${readyView ? 'ready' : timer}`];
  if (selected) classes.push('ticket--selected');
  if (fresh) classes.push('ticket--fresh');
  if (ticket.alerts.length > 0) classes.push('ticket--alert');
  return (
    <article
      className={classes.join(' ')}
      aria-labelledby={headingId}
      aria-current={selected ? 'true' : undefined}
      data-order-id={ticket.orderId}
      inert={props.offPage}
    >
      <header className="ticket__head" onClick={() => props.onSelect(ticket.orderId)}>
        <span className="ticket__pos" aria-hidden={position === null || position > 9}>
          {position !== null && position <= 9 ? position : ''}
        </span>
        {/* Outside the heading: the ticket is still named by its place ("Table 12"). */}
        <span className="ticket__number">{ticketNumberText(ticket)}</span>
        <h2 id={headingId}>{ticket.tableLabel}</h2>
        <div className="ticket__timer">
          <span className="ticket__elapsed">{elapsed(age)}</span>
          <span className="ticket__state">{readyView ? 'Ready' : timerText[timer]}</span>
        </div>
      </header>
      <p className="ticket__meta">
        {ticket.staffName || 'Waiter ?'} · sent {clockTime(ticket.sentAt)} · cook {ticket.cookMinutes} min
        {ticket.edited ? <strong className="ticket__edited"> · EDITED</strong> : null}
      </p>
      {ticket.allergies.length > 0 ? (
        <AllergyBanner
          ticket={ticket}
          asking={props.askingAllergyAck ?? false}
          onAcknowledge={() => props.onAcknowledgeAllergy?.(ticket)}
        />
      ) : null}
      {ticket.alerts.length > 0 ? (
        <div className="ticket__alert">
          <p>
            <strong>VOID AFTER COOKING:</strong> {ticket.alerts.map((a) => `${a.quantity} × ${a.name}`).join(', ')}
          </p>
          <button type="button" className="kbutton" onClick={() => props.onDismiss(ticket)}>
            Acknowledge
          </button>
        </div>
      ) : null}
      {ticket.note ? <p className="ticket__note">Order note: “{ticket.note}”</p> : null}
      <ul className="ticket__items">
        {ticket.items.map((item) => {
          const move = readyView ? null : itemBump(item);
          return <ItemLine key={item.id} item={item} onBump={move ? () => props.onMove(ticket, [move]) : null} />;
        })}
      </ul>
      <footer className="ticket__foot">
        {readyView ? (
          <button type="button" className="kbutton" onClick={() => props.onMove(ticket, ticketUnready(ticket))}>
            Back to cooking
          </button>
        ) : bump.length > 0 ? (
          <button
            type="button"
            className="kbutton kbutton--primary ticket__bump"
            onClick={() => props.onMove(ticket, bump)}
          >
            Bump ticket <span aria-hidden="true">▸ {nextText[ticket.state]}</span>
          </button>
        ) : null}
      </footer>
    </article>
  );
});
