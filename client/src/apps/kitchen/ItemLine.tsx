import type { ItemStatus } from '@chit/shared';
import type { TicketItem } from './board.js';

const statusText: Record<ItemStatus, string> = {
  queued: 'Queued',
  cooking: 'Cooking',
  ready: 'Ready',
  served: 'Served',
  voided: 'Voided',
};

/** One line of a ticket: quantity and dish, its options and note, what changed, its state and Bump. */
export function ItemLine({ item, onBump }: { item: TicketItem; onBump: (() => void) | null }) {
  const classes = ['kitem', `kitem--${item.status}`];
  if (item.edit && !item.voided) classes.push('kitem--edited');
  if (item.voidedAfterCooking) classes.push('kitem--alert');
  const label = `${item.quantity} × ${item.name}`;
  return (
    <li className={classes.join(' ')}>
      <div className="kitem__side">
        {onBump ? (
          // The line's state is its Bump: one tap moves it on (queued ▸ cooking ▸ ready). Its name
          // starts with the state it shows (a voice-control user says what they see: WCAG 2.5.3).
          <button
            type="button"
            className="kitem__bump"
            onClick={onBump}
            aria-label={`${statusText[item.status]}: bump ${item.name}`}
          >
            {statusText[item.status]} <span aria-hidden="true">▸</span>
          </button>
        ) : item.voided ? null /* the flag below says VOIDED, with why */ : (
          <span className="kitem__status">{statusText[item.status]}</span>
        )}
        {item.pending ? <span className="kitem__pending">sending</span> : null}
      </div>
      <div className="kitem__body">
        <span className="kitem__text">{item.voided ? <s>{label}</s> : label}</span>
        {item.modifiers.length > 0 ? (
          <ul className="kitem__mods">
            {item.modifiers.map((m, i) => (
              <li key={`${m}-${i}`}>{m}</li>
            ))}
          </ul>
        ) : null}
        {item.note ? <p className="kitem__note">“{item.note}”</p> : null}
        {item.edit && !item.voided ? (
          <p className="kitem__flag kitem__flag--edit">
            EDITED
            {item.edit.quantityWas !== null ? ` · was ${item.edit.quantityWas}` : ''}
            {item.edit.noteWas !== null ? ` · note was “${item.edit.noteWas || 'none'}”` : ''}
            {item.edit.modifiersWas != null ? ` · was ${item.edit.modifiersWas || 'no options'}` : ''}
          </p>
        ) : null}
        {item.voided ? (
          <p className={item.voidedAfterCooking ? 'kitem__flag kitem__flag--alert' : 'kitem__flag'}>
            {item.voidedAfterCooking ? 'VOIDED AFTER COOKING STARTED' : 'VOIDED'}
            {item.voidReason ? ` · ${item.voidReason}` : ''}
          </p>
        ) : null}
      </div>
    </li>
  );
}
