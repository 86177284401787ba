import { Link } from 'wouter';
import type { TakeawayState, TakeawaySummary } from '../../../db/hooks.js';
import { customerLabel } from '../../../domain/customer.js';
import { ticketNumberText } from '../../../ui/ticket-number.js';

const takeawayText: Record<TakeawayState, string> = {
  draft: 'Not sent: in the cart',
  local: 'On this tablet only',
  queued: 'Sent',
  cooking: 'Cooking',
  ready: 'Ready',
  served: 'Served',
};

/** Takeaway and delivery orders still to hand over, and the way to enter one. */
export default function TakeawayList({ list }: { list: readonly TakeawaySummary[] }) {
  return (
    <section aria-labelledby="takeaway-title">
      <h2 id="takeaway-title" className="tables__area">
        Takeaway & delivery
      </h2>
      <ul className="tables__grid tables__takeaway">
        {list.map(({ order, ticketNumber, state, unsynced, problems }) => {
          const number =
            state === 'draft' ? null : ticketNumberText({ ticketNumber, sync: state === 'local' ? 'local' : 'synced' });
          const parts = [
            takeawayText[state],
            unsynced > 0 && state !== 'local' ? `${unsynced} not synced` : null,
            problems > 0 ? `${problems} refused` : null,
          ].filter(Boolean);
          const tone = problems > 0 ? 'problem' : state === 'ready' ? 'ready' : 'busy';
          return (
            <li key={order.id}>
              <Link
                href={state === 'draft' ? `/orders/${order.id}/menu` : `/orders/${order.id}`}
                className={`table-tile table-tile--${tone}`}
                aria-label={`${customerLabel(order)}: ${[state === 'local' ? null : number, ...parts].filter(Boolean).join(', ')}`}
              >
                <strong>
                  {number ? <span className="table-tile__ticket">{number}</span> : null} {customerLabel(order)}
                </strong>
                <span className="table-tile__chips" aria-hidden="true">
                  {parts.map((part, i) => (
                    <span
                      key={part}
                      className={
                        i > 0 || state === 'local' || state === 'draft'
                          ? 'chip chip--warn'
                          : state === 'ready'
                            ? 'chip chip--ready'
                            : 'chip'
                      }
                    >
                      {part}
                    </span>
                  ))}
                </span>
              </Link>
            </li>
          );
        })}
        <li>
          <Link href="/orders/new" className="table-tile">
            <strong>New takeaway / delivery</strong>
          </Link>
        </li>
      </ul>
    </section>
  );
}
