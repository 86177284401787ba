import type { AllDayCount } from './board.js';
import './AllDayPanel.css';

/** Open quantity per dish across the tickets shown: what to fire in bulk. */
export function AllDayPanel({ counts }: { counts: readonly AllDayCount[] }) {
  return (
    <aside className="kallday" aria-labelledby="allday-title">
      <h2 id="allday-title">All day</h2>
      {counts.length === 0 ? (
        <p>Nothing open.</p>
      ) : (
        <ul>
          {counts.map((c) => (
            <li key={c.menuItemId}>
              <strong className="kallday__qty">{c.quantity}</strong> <span>{c.name}</span>
              {c.cooking > 0 ? <small> ({c.cooking} cooking)</small> : null}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
